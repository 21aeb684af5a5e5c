import Foundation
import Testing
import ModelFiles
import TerminalUI
@testable import Explorer

@Suite struct LargeModelTests {
    /// A browse-mode file with thousands of tensors: opening reads no tensor data, and a keystroke plus the
    /// view-models of one frame (visible rows only) stay far below a frame's time even in a debug build.
    @Test func thousandsOfTensorsStayResponsive() throws {
        let path = try temporaryFolder() + "/many.safetensors"
        let bytes = [UInt8](repeating: 0, count: 64 * 4)
        var tensors: [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])] = []
        for layer in 0 ..< 500 {
            for part in ["q", "k", "v", "o", "up", "down"] {
                tensors.append((name: "layers.\(layer).\(part).weight", type: .f32, shape: [8, 8], bytes: bytes))
            }
        }
        try SafeTensorsWriter.write(tensors: tensors, to: path)
        let clock = ContinuousClock()
        var state: ExplorerState?
        let openTime = try clock.measure { state = try ExplorerState(model: try ModelLoader.load(path)) }
        let explorer = try #require(state)
        explorer.setViewport(treeRows: 40, heatmapRows: 40, heatmapCols: 80)
        // Numeric segments are indices: layer 10 comes after layer 9, not after layer 1.
        #expect(explorer.select(path: "layers.10.q.weight"))
        let tree = explorer.tree
        let layer10 = try #require((0 ..< tree.rowCount).first { tree.row(at: $0).path == "layers.10" })
        #expect(tree.row(at: layer10 - 1).path == "layers.9")
        #expect(tree.row(at: layer10 + 1).path == "layers.10.down")
        var frames: [Duration] = []
        for key in ["j", "j", "k", "End", "Home", "/", "text:up", "Enter", "n", "Tab", "l", "Tab", "h"] {
            for event in try KeySpec.parse(key) {
                frames.append(clock.measure {
                    _ = explorer.handle(event)
                    _ = explorer.header
                    _ = explorer.tree.visibleRows
                    if case .tensor(let detail) = explorer.detail { _ = detail.heatmap(rows: 40, cols: 80) }
                })
            }
        }
        let slowest = frames.max() ?? .zero
        print("open 3000 tensors: \(openTime); slowest keystroke+frame: \(slowest)")
        #expect(openTime < .seconds(5))
        #expect(slowest < .milliseconds(250))
        #expect(explorer.header.totalParameterCount == 3000 * 64)
    }
}
