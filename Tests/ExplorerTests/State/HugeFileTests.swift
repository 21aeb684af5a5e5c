import Foundation
import Testing
import ModelFiles
@testable import Explorer

@Suite struct HugeFileTests {
    /// A 16 GiB F32 tensor in a sparse file: opening builds the tree from the header alone, and selecting it
    /// reads only the sampled rows the statistics and the heatmap need.
    @Test func aSixteenGigabyteTensorOpensInstantlyAndShowsSampled() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/huge.safetensors"
        let rows = 65536, cols = 65536
        let dataBytes = rows * cols * 4
        var header = #"{"big.weight":{"dtype":"F32","shape":[\#(rows),\#(cols)],"data_offsets":[0,\#(dataBytes)]},"small":{"dtype":"F32","shape":[2],"data_offsets":[\#(dataBytes),\#(dataBytes + 8)]}}"#
        while (header.utf8.count + 8) % 8 != 0 { header += " " }
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) }
        bytes += Array(header.utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(bytes.count + dataBytes + 8))  // sparse: no data written
        try handle.close()

        // Opening reads the header only and selecting samples the statistics (asserted below): bounded work, whatever
        // the size; how fast is nnbench's to measure, not a unit test's on a loaded machine.
        let state = try ExplorerState(model: try ModelLoader.load(path))
        #expect(state.header.totalParameterCount == rows * cols + 2)
        #expect(treeRow(state, "big.weight")?.shapeText == "[65536, 65536]")

        #expect(state.select(path: "big.weight"))
        let shown = try tensorDetail(state)
        let stats = try #require(shown.stats)
        #expect(stats.isSampled)
        #expect(stats.zeros == stats.count)
        let grid = shown.heatmap(rows: 32, cols: 64)
        #expect(grid.rows == 32 && grid.cols == 64)
        #expect(grid.methodLabel.hasPrefix("max |x| per 2048×1024 block"))
        // Editing would have to materialise 4 billion floats: refused with a message, nothing changed.
        try press(state, "Tab e text:1 Enter")
        #expect(state.status.isError)
        #expect(!state.header.hasUnsavedEdits)
    }
}
