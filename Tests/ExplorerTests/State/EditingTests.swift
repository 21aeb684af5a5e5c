import Testing
import NNCore
import NNModules
import ModelFiles
@testable import Explorer

@Suite struct EditingTests {
    func weight(_ state: ExplorerState, _ module: String) throws -> Tensor {
        let spec = try #require(state.model.spec)
        let found = try #require(spec.model.module(at: module))
        return try found.parameter("weight")
    }

    @Test func editingATiedElementShowsAtEveryUseAndUndoes() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "2.weight"))
        let original = try weight(state, "4").element(at: [1, 1])
        try press(state, "Tab j l e text:0.5 Enter")
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(try weight(state, "4").element(at: [1, 1]) == 0.5)
        #expect(try weight(state, "2").element(at: [1, 1]) == 0.5)
        #expect(state.select(path: "4.weight"))
        let detail = try tensorDetail(state)
        #expect(detail.cursorIndex == [1, 1])
        #expect(detail.cursorValue == 0.5)
        #expect(detail.isEdited)
        #expect(treeRow(state, "4.weight")?.isEdited == true)
        #expect(treeRow(state, "2.weight")?.isEdited == true)
        #expect(treeRow(state, "0.weight")?.isEdited == false)
        #expect(state.header.hasUnsavedEdits)

        try press(state, "u")
        #expect(try weight(state, "4").element(at: [1, 1]) == original)
        #expect(treeRow(state, "4.weight")?.isEdited == false)
        #expect(!state.header.hasUnsavedEdits)
        try press(state, "C-r")
        #expect(try weight(state, "4").element(at: [1, 1]) == 0.5)
        try press(state, "u u")
        #expect(state.status.isError)
        #expect(state.status.text.contains("nothing to undo"))
    }

    @Test func aNonNumberIsRefusedAndNothingChanges() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "0.weight"))
        let before = try weight(state, "0").toArray()
        try press(state, "Tab e text:abc Enter")
        #expect(state.status.isError)
        #expect(state.status.text.contains("not a number"))
        #expect(state.mode == .normal)
        #expect(try weight(state, "0").toArray() == before)
        #expect(state.undoLabels.isEmpty)
        #expect(!state.header.hasUnsavedEdits)
        try press(state, "F text:1x Enter")
        #expect(state.status.isError)
        #expect(try weight(state, "0").toArray() == before)
    }

    @Test func fillScaleZeroOnRowsColumnsAndTensors() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "0.weight"))  // [8, 4]
        let w = try weight(state, "0")
        let original = w.toArray()
        try press(state, "Tab j j")  // cursor at row 2, column 0
        try press(state, "o Z")  // scope row: zero row 2
        var values = w.toArray()
        for r in 0 ..< 8 {
            for c in 0 ..< 4 {
                #expect(values[r * 4 + c] == (r == 2 ? 0 : original[r * 4 + c]))
            }
        }
        try press(state, "l o F text:3 Enter")  // scope column: fill column 1 with 3
        values = w.toArray()
        for r in 0 ..< 8 { #expect(values[r * 4 + 1] == 3) }
        #expect(values[2 * 4 + 0] == 0)
        let beforeScale = w.toArray()
        try press(state, "o S text:-2 Enter")  // scope tensor: scale by -2
        #expect(w.toArray() == beforeScale.map { $0 * -2 })
        #expect(state.undoLabels.count == 3)
        try press(state, "u u u")
        #expect(w.toArray() == original)
        #expect(state.redoLabels.count == 3)
        try press(state, "C-r C-r")
        values = w.toArray()
        for r in 0 ..< 8 { #expect(values[r * 4 + 1] == 3) }
    }

    @Test func reinitialiseWithANamedInit() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "0.weight"))
        let w = try weight(state, "0")
        let original = w.toArray()
        try press(state, "Tab I")
        #expect(state.mode == .prompt(label: "re-initialise whole tensor with (normal(0, 0.02), uniform(-0.1, 0.1), constant(3), zeros, ones, xavier_uniform, kaiming; Enter = normal): ", text: ""))
        try press(state, "text:ones Enter")
        #expect(w.toArray() == [Float](repeating: 1, count: 32))
        try press(state, "I text:bogus Enter")
        #expect(state.status.isError)
        #expect(w.toArray() == [Float](repeating: 1, count: 32))
        try press(state, "u")
        #expect(w.toArray() == original)
        // Enter alone re-initialises with the default (normal): new values, not all equal.
        try press(state, "I Enter")
        #expect(w.toArray() != original && Set(w.toArray()).count > 1)
    }

    @Test func editsNeedAnInitialisedTensor() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "2"))
        try press(state, "e")
        #expect(state.status.isError)
        #expect(state.mode == .normal)
    }
}
