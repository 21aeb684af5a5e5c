import Explorer
import Foundation
import ModelFiles
import TerminalUI

/// The explorer workloads: rendering a frame of a big expanded tree, and opening a BERT-sized checkpoint up to
/// its first frame.
enum ExplorerWorkloads {
    static let frameWidth = 200
    static let frameHeight = 60

    /// 40 blocks × (24 linear children with weight and bias + 2 tensors of their own): 1,000 modules, 2,000 tensors.
    static func wideEntries() -> [SafeTensorsFixture.Entry] {
        (0 ..< 40).flatMap { block -> [SafeTensorsFixture.Entry] in
            let own = ["scale", "shift"].map { SafeTensorsFixture.Entry(name: "blocks.\(block).\($0)", dtype: "F32", shape: [4]) }
            let children = (0 ..< 24).flatMap { child in
                [SafeTensorsFixture.Entry(name: "blocks.\(block).proj\(child).weight", dtype: "F32", shape: [4, 4]),
                 SafeTensorsFixture.Entry(name: "blocks.\(block).proj\(child).bias", dtype: "F32", shape: [4])]
            }
            return own + children
        }
    }

    /// Renders the 200×60 frame of the expanded 1,000-module tree (state built once, untimed).
    static func frameRender(_ stopwatch: Stopwatch) throws -> Timing {
        try medianFrame(of: wideEntries(), workload: "frame_render", minimumRows: 3_000, stopwatch) { _ in }.time
    }

    /// The same frame for a tree of over 100k rows (1,400 blocks × 24 children × weight and bias): rendering costs
    /// what the visible rows cost, so this should match `frame_render`.
    static func frameRenderHundredThousandRows(_ stopwatch: Stopwatch) throws -> (time: Timing, rows: Int) {
        let entries = (0 ..< 1_400).flatMap { block in
            (0 ..< 24).flatMap { child in
                ["weight", "bias"].map {
                    SafeTensorsFixture.Entry(name: "blocks.\(block).proj\(child).\($0)", dtype: "F32", shape: [4])
                }
            }
        }
        return try medianFrame(of: entries, workload: "frame_render_100k", minimumRows: 100_000, stopwatch) { state in
            // A module row in the middle of the tree (rows above and below the window), so the detail pane shows a
            // module as frame_render's root does and only the tree's size differs.
            guard state.select(path: "blocks.700") else { throw BenchmarkError("frame_render_100k: no blocks.700 row") }
        }
    }

    /// Writes `entries` to a scratch safetensors file, opens it, expands the whole tree (`*` on the root), lets
    /// `placeCursor` move the cursor, then times renders of the 200×60 frame (state built once, untimed).
    private static func medianFrame(of entries: [SafeTensorsFixture.Entry], workload: String, minimumRows: Int,
                                     _ stopwatch: Stopwatch,
                                     placeCursor: (ExplorerState) throws -> Void) throws -> (time: Timing, rows: Int) {
        let folder = try SafeTensorsFixture.makeScratchFolder()
        defer { SafeTensorsFixture.removeScratchFolder(folder) }
        let path = folder + "/\(workload).safetensors"
        let fixture = SafeTensorsFixture(entries: entries)
        try fixture.write(to: path) { index in [UInt8](repeating: 0x3f, count: fixture.entries[index].byteCount) }
        let state = try ExplorerState(model: try ModelLoader.load(path))
        var buffer = Buffer(width: frameWidth, height: frameHeight)
        ExplorerRenderer.render(state: state, into: &buffer, theme: .builtInDefault, depth: .trueColor, ascii: false)
        _ = state.handle(ExplorerCommand.home)
        _ = state.handle(ExplorerCommand.expandAllBelow)
        guard state.tree.rowCount >= minimumRows else {
            throw BenchmarkError("\(workload): expected ≥ \(minimumRows) tree rows expanded, got \(state.tree.rowCount)")
        }
        try placeCursor(state)
        let time = stopwatch.measure {
            ExplorerRenderer.render(state: state, into: &buffer, theme: .builtInDefault, depth: .trueColor, ascii: false)
        }
        return (time, state.tree.rowCount)
    }

    /// A BERT-style encoder (6 layers, hidden 384, vocabulary 30522): 22.7M F32 parameters, 90 MB.
    static func bertEntries() -> [SafeTensorsFixture.Entry] {
        let hidden = 384, intermediate = 1536
        func entry(_ name: String, _ shape: [Int]) -> SafeTensorsFixture.Entry {
            SafeTensorsFixture.Entry(name: name, dtype: "F32", shape: shape)
        }
        var entries = [
            entry("embeddings.word_embeddings.weight", [30522, hidden]),
            entry("embeddings.position_embeddings.weight", [512, hidden]),
            entry("embeddings.token_type_embeddings.weight", [2, hidden]),
            entry("embeddings.LayerNorm.weight", [hidden]),
            entry("embeddings.LayerNorm.bias", [hidden]),
        ]
        for layer in 0 ..< 6 {
            let prefix = "encoder.layer.\(layer)."
            for part in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                entries += [entry(prefix + part + ".weight", [hidden, hidden]), entry(prefix + part + ".bias", [hidden])]
            }
            entries += [entry(prefix + "attention.output.LayerNorm.weight", [hidden]),
                        entry(prefix + "attention.output.LayerNorm.bias", [hidden]),
                        entry(prefix + "intermediate.dense.weight", [intermediate, hidden]),
                        entry(prefix + "intermediate.dense.bias", [intermediate]),
                        entry(prefix + "output.dense.weight", [hidden, intermediate]),
                        entry(prefix + "output.dense.bias", [hidden]),
                        entry(prefix + "output.LayerNorm.weight", [hidden]),
                        entry(prefix + "output.LayerNorm.bias", [hidden])]
        }
        entries += [entry("pooler.dense.weight", [hidden, hidden]), entry("pooler.dense.bias", [hidden])]
        return entries
    }

    /// Opens the BERT-style checkpoint and renders its first 200×60 frame: (median µs, parameters, megabytes).
    static func openReal(_ stopwatch: Stopwatch) throws -> (time: Timing, parameters: Int, megabytes: Double) {
        let folder = try SafeTensorsFixture.makeScratchFolder()
        defer { SafeTensorsFixture.removeScratchFolder(folder) }
        let path = folder + "/model.safetensors"
        let fixture = SafeTensorsFixture(entries: bertEntries())
        // Small pseudo-random values (bit patterns of floats in ±0.06), cheap to generate.
        var pattern = [UInt8](repeating: 0, count: 1 << 16)
        var seed: UInt32 = 12345
        for i in stride(from: 0, to: pattern.count, by: 4) {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            let value = (Float(seed >> 8) / Float(1 << 24) - 0.5) * 0.12
            withUnsafeBytes(of: value.bitPattern.littleEndian) { for b in 0 ..< 4 { pattern[i + b] = $0[b] } }
        }
        try fixture.write(to: path) { index in
            let count = fixture.entries[index].byteCount
            var bytes = [UInt8]()
            bytes.reserveCapacity(count)
            while bytes.count < count { bytes += pattern.prefix(count - bytes.count) }
            return bytes
        }
        let parameters = fixture.entries.reduce(0) { $0 + $1.shape.reduce(1, *) }
        let time = try stopwatch.measure {
            let state = try ExplorerState(model: try ModelLoader.load(path))
            var buffer = Buffer(width: frameWidth, height: frameHeight)
            ExplorerRenderer.render(state: state, into: &buffer, theme: .builtInDefault, depth: .trueColor, ascii: false)
        }
        return (time, parameters, Double(fixture.dataByteCount) / 1e6)
    }
}
