import Explorer
import Foundation
import ModelFiles
import ModulePaths
import NNCore

/// The file workloads: opening a huge sparse checkpoint (time and peak memory) and heatmap downsampling.
enum FileWorkloads {
    /// Tensors in the huge checkpoint: 50 decoder layers × 6 matrices.
    static let hugeLayerCount = 50
    /// Each matrix is 4096×3277 F32 (53.7 MB), so 300 of them make 16.1 GB.
    static let hugeShape = [4096, 3277]

    /// The 300 tensor entries of the huge checkpoint, with Hugging Face–style names.
    static func hugeEntries() -> [SafeTensorsFixture.Entry] {
        let parts = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                     "mlp.up_proj", "mlp.down_proj"]
        return (0 ..< hugeLayerCount).flatMap { layer in
            parts.map { SafeTensorsFixture.Entry(name: "model.layers.\(layer).\($0).weight", dtype: "F32", shape: hugeShape) }
        }
    }

    /// The tree the explorer shows, for now: tensor names grouped under every dotted prefix.
    static func buildTree(_ names: [String]) -> [String: Int] {
        var groups: [String: Int] = [:]
        for name in names {
            var prefix = ""
            for component in ModulePath.segments(name).dropLast() where !component.isEmpty {
                prefix = ModulePath.join(prefix, String(component))
                groups[prefix, default: 0] += 1
            }
        }
        return groups
    }

    /// Opens the 16 GB sparse checkpoint and builds the tree: (median µs, peak RSS MiB during the opens, file GB).
    static func openHuge(_ stopwatch: Stopwatch) throws -> (time: Timing, peakMiB: Double, gigabytes: Double) {
        let folder = try SafeTensorsFixture.makeScratchFolder()
        defer { SafeTensorsFixture.removeScratchFolder(folder) }
        let path = folder + "/huge.safetensors"
        let fixture = SafeTensorsFixture(entries: hugeEntries())
        try fixture.write(to: path)
        let gigabytes = Double(fixture.dataByteCount) / 1e9
        Tensor.releaseCachedMemory()  // earlier workloads' recycled buffers are not part of opening a file
        MemoryUsage.resetPeak()
        let time = try stopwatch.measure {
            let loaded = try ModelLoader.load(path)
            guard let archive = loaded.archive, archive.tensors.count == 300 else {
                throw BenchmarkError("open_huge: expected 300 tensors in \(path)")
            }
            let tree = buildTree(archive.tensors.map(\.name))
            guard tree.count > 0 else { throw BenchmarkError("open_huge: empty tree") }
        }
        let peak = Double(MemoryUsage.peakKiB() ?? 0) / 1024
        return (time, peak, gigabytes)
    }

    static let heatmapSize = 4096
    static let cellColumns = 200
    static let cellRows = 60

    /// Downsamples a live 4096×4096 F32 weight (a spec's `Linear(4096, 4096)`, in memory) to 200×60 cells
    /// through the explorer's own path, `TensorDetailViewModel.heatmap(rows:cols:)`.
    static func heatmapF32(_ stopwatch: Stopwatch) throws -> (time: Timing, method: String) {
        let folder = try SafeTensorsFixture.makeScratchFolder()
        defer { SafeTensorsFixture.removeScratchFolder(folder) }
        let path = folder + "/square.nn"
        try "model = Linear(\(heatmapSize), \(heatmapSize))\ninput = randn(1, \(heatmapSize))\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        return try timeHeatmap(of: try ModelLoader.load(path), path: "weight", stopwatch)
    }

    /// The same for a 4096×4096 BF16 tensor straight from a mapped safetensors file (converted row by row).
    static func heatmapBF16(_ stopwatch: Stopwatch) throws -> (time: Timing, method: String) {
        let folder = try SafeTensorsFixture.makeScratchFolder()
        defer { SafeTensorsFixture.removeScratchFolder(folder) }
        let path = folder + "/bf16.safetensors"
        let fixture = SafeTensorsFixture(entries: [.init(name: "weight", dtype: "BF16", shape: [heatmapSize, heatmapSize])])
        var generator = SeededGenerator(seed: 6)
        try fixture.write(to: path) { _ in
            var bytes = [UInt8](repeating: 0, count: heatmapSize * heatmapSize * 2)
            for i in 0 ..< heatmapSize * heatmapSize {
                let bits = generator.nextNormal().bitPattern >> 16
                bytes[2 * i] = UInt8(bits & 0xff)
                bytes[2 * i + 1] = UInt8(bits >> 8)
            }
            return bytes
        }
        return try timeHeatmap(of: try ModelLoader.load(path), path: "weight", stopwatch)
    }

    /// Selects the tensor at `path` in an explorer over `model` and times its heatmap at 200×60 cells (the
    /// view-model, with its statistics, is made once, untimed: the heatmap is what redraws on zoom and pan).
    private static func timeHeatmap(of model: LoadedModel, path: String, _ stopwatch: Stopwatch) throws -> (time: Timing, method: String) {
        let state = try ExplorerState(model: model)
        guard state.select(path: path), case .tensor(let detail) = state.detail else {
            throw BenchmarkError("heatmap_4096: no tensor at '\(path)'")
        }
        var grid = HeatmapGrid.empty
        let time = stopwatch.measure { grid = detail.heatmap(rows: cellRows, cols: cellColumns) }
        guard grid.rows > 0, grid.cols > 0, grid.scale > 0 else { throw BenchmarkError("heatmap_4096: empty heatmap") }
        return (time, "\(grid.rows)×\(grid.cols) values, \(grid.methodLabel)")
    }
}
