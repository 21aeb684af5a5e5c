import Foundation
import Testing
import ModelFiles
@testable import Explorer

/// Every dtype is viewable, and editing keeps it (issue 15 §1).
@Suite struct DtypeEditingTests {
    func open(_ fixture: String) throws -> ExplorerState {
        try ExplorerState(model: try ModelLoader.load(try fixturePath(fixture)))
    }

    func record(_ state: ExplorerState, _ name: String) throws -> TensorRecord {
        try #require(state.entries.first { $0.names.contains(name) }?.record)
    }

    @Test func quantizedTensorsShowDequantizedWithTheirType() throws {
        let state = try open("tiny.gguf")
        for (name, type) in [("blk.0.attn_q.weight", "Q8_0"), ("blk.0.attn_k.weight", "Q4_0"),
                             ("blk.0.ffn_up.weight", "Q4_K"), ("blk.0.ffn_down.weight", "Q6_K")] {
            #expect(state.select(path: name))
            let detail = try tensorDetail(state)
            #expect(detail.message == nil, "\(name): \(detail.message ?? "")")
            #expect(detail.dtype == "\(type) (shown dequantized)")
            #expect(treeRow(state, name)?.dtype == type)
            let expected = try record(state, name).floatValues(limit: 1 << 20)
            #expect(detail.cursorValue == expected[0])
            let stats = try #require(detail.stats)
            #expect(stats.count == expected.count && stats.max == expected.max() && stats.min == expected.min())
        }
    }

    @Test func anEditReQuantizesItsBlockAndKeepsTheType() throws {
        let state = try open("tiny.gguf")
        let name = "blk.0.attn_q.weight"  // Q8_0, [4, 256]
        let original = try record(state, name).floatValues(limit: 1 << 20)
        #expect(state.select(path: name))
        try press(state, "Tab l l")
        let column = try #require(try tensorDetail(state).cursorIndex.last)  // row 0: in the first block
        #expect(column > 0 && column < 32)
        try press(state, "e text:0.5 Enter")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(treeRow(state, name)?.dtype == "Q8_0")
        let now = try #require(state.entries.first { $0.names.contains(name) }?.tensor).toArray()
        var block = Array(original[0 ..< 32])
        block[column] = 0.5
        try GGUFRequantizer.roundTrip(&block, typeID: 8)
        #expect(Array(now[0 ..< 32]) == block)
        #expect(Array(now[32...]) == Array(original[32...]))
        #expect(now[column] != 0.5, "0.5 is not a Q8_0 level of this block; the value that comes back is shown")
        #expect(state.status.text.contains("re-quantized with its Q8_0 block: stored as"), "\(state.status.text)")
        #expect(try tensorDetail(state).cursorValue == now[column])
        try press(state, "u")
        #expect(try #require(state.entries.first { $0.names.contains(name) }?.tensor).toArray() == original)
        #expect(treeRow(state, name)?.dtype == "Q8_0")
    }

    @Test func aTypeNnviewCannotReQuantizeIsRefused() throws {
        let state = try open("tiny.gguf")
        #expect(state.select(path: "blk.0.ffn_up.weight"))  // Q4_K
        try press(state, "Tab e text:1 Enter")
        #expect(state.status.isError)
        #expect(state.status.text.contains("cannot re-quantize Q4_K"), "\(state.status.text)")
        #expect(state.undoLabels.isEmpty)
    }

    @Test func requantizingDequantizedBlocksGivesThemBack() throws {
        // Blocks gguf-py quantized are fixed points of quantize → dequantize.
        let state = try open("tiny.gguf")
        for (name, id) in [("blk.0.attn_q.weight", 8), ("blk.0.attn_k.weight", 2), ("blk.0.attn_v.weight", 3)] {
            let values = try record(state, name).floatValues(limit: 1 << 20)
            for start in stride(from: 0, to: values.count, by: 32) {
                var block = Array(values[start ..< start + 32])
                try GGUFRequantizer.roundTrip(&block, typeID: id)
                for (a, b) in zip(block, values[start ..< start + 32]) {
                    #expect(abs(a - b) <= 1e-6 * max(1, abs(b)), "\(name) block \(start / 32)")
                }
            }
        }
    }

    @Test func valuesThatDoNotFitAreRefusedWithTheRange() throws {
        let state = try open("dtypes.safetensors")
        let cases: [(String, String, String)] = [
            ("i8", "300", "integers -128 to 127"), ("u8", "-5", "integers 0 to 255"),
            ("bool", "0.5", "0/false or 1/true"), ("f16", "70000", "-65504 to 65504"),
            ("i32", "nan", "integers -2147483648 to 2147483647"), ("i64", "1.5", "integers"),
        ]
        for (name, typed, range) in cases {
            #expect(state.select(path: name))
            let before = try tensorDetail(state).cursorValue
            try press(state, "Tab e text:\(typed) Enter Tab")
            #expect(state.status.isError, "\(name) = \(typed): \(state.status.text)")
            #expect(state.status.text.contains(range), "\(state.status.text)")
            #expect(try tensorDetail(state).cursorValue == before)
        }
        #expect(state.undoLabels.isEmpty)
    }

    @Test func editsAreRoundedToTheTypeAndTheTypeStays() throws {
        let state = try open("dtypes.safetensors")
        #expect(state.select(path: "f16"))
        try press(state, "Tab e text:0.1 Enter Tab")
        #expect(try tensorDetail(state).cursorValue == 0.0999755859375)
        #expect(state.status.text.contains("rounded to F16"), "\(state.status.text)")
        #expect(treeRow(state, "f16")?.dtype == "F16")
        #expect(try tensorDetail(state).dtype == "F16")
        #expect(state.select(path: "bf16"))
        try press(state, "Tab e text:0.1 Enter Tab")
        #expect(try tensorDetail(state).cursorValue == 0.10009765625)
        #expect(treeRow(state, "bf16")?.dtype == "BF16")
        // Scaling an integer tensor rounds each result to an integer and keeps it in range.
        #expect(state.select(path: "i8"))  // [-128, 0, 127]
        try press(state, "Tab S text:0.5 Enter Tab")
        #expect(try #require(state.entries.first { $0.names == ["i8"] }?.tensor).toArray() == [-64, 0, 64])
        try press(state, "Tab S text:3 Enter Tab")
        #expect(try #require(state.entries.first { $0.names == ["i8"] }?.tensor).toArray() == [-128, 0, 127])
        #expect(treeRow(state, "i8")?.dtype == "I8")
        try press(state, "u u")
        #expect(treeRow(state, "i8")?.dtype == "I8")
    }

    @Test func integersAndBoolsDisplayAsTheyAre() throws {
        let harness = try RenderHarness(try fixturePath("dtypes.safetensors"), width: 120, height: 40)
        var text = try harness.press("/ text:i8 Enter")
        #expect(text.contains("value = -128") && !text.contains("-128.0"))
        text = try harness.press("/ text:bool Enter")
        #expect(text.contains("value = true"))
        text = try harness.press("Tab e")
        #expect(text.contains("(now true)"))
        text = try harness.press("text:false Enter")
        #expect(text.contains("value = false"))
        #expect(try tensorDetail(harness.state).cursorValue == 0)
    }
}
