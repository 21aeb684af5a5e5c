import Testing
@testable import FileFormats
@testable import ModelFiles

@Suite struct NaturalSiblingOrderTests {
    private func ordered(_ names: [String]) -> [String] {
        NaturalSiblingOrder.order(names).map { names[$0] }
    }

    @Test func trailingNumbersSortAsNumbersInThePlacesTheirGroupHolds() {
        #expect(ordered(["0", "1", "10", "11", "2", "3"]) == ["0", "1", "2", "3", "10", "11"])
        #expect(ordered(["proj10", "weight", "proj9", "bias", "proj23"]) == ["proj9", "weight", "proj10", "bias", "proj23"])
        #expect(ordered(["conv_10", "conv_2", "layer10", "layer2"]) == ["conv_2", "conv_10", "layer2", "layer10"])
        // Other names keep the file's order; equal numbers too; digits too long for an Int are plain names.
        #expect(ordered(["weight", "bias"]) == ["weight", "bias"])
        #expect(ordered(["a01", "a1", "a0"]) == ["a0", "a01", "a1"])
        #expect(ordered(["x99999999999999999999", "x1"]) == ["x99999999999999999999", "x1"])
        #expect(ordered([]) == [])
    }

    @Test func theDottedNameTreeUsesIt() {
        let tree = DottedNameTree(names: ["blocks.proj10.w", "blocks.proj9.w", "blocks.norm.w"])
        #expect(tree.nodes.map(\.path) == ["blocks", "blocks.proj9", "blocks.proj9.w", "blocks.proj10", "blocks.proj10.w",
                                           "blocks.norm", "blocks.norm.w"])
    }
}
