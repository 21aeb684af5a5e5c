import Foundation
import Testing

/// `nnview snapshot` of the small CNN's ONNX export opened live (seeded random input): the header with the graph's
/// inputs and outputs, the initializers beside the graph's nodes, a weight's gradient after `f b`, and a node's
/// inputs and outputs with the shapes of the run. The real binary runs in its own process.
@Suite struct ONNXSnapshotTests {
    static let model = "Tests/ArchitecturesTests/Fixtures/onnx/cnn_small.onnx"

    static func snapshot(keys: String, size: String = "120x40") throws -> String {
        try NNViewBinary.snapshot(model, size: size, keys: keys)
    }

    @Test func opensLiveWithTheGraphsInputsOutputsAndNodes() throws {
        let text = try Self.snapshot(keys: "")
        goldens.assertMatches(text, named: "onnx-cnn-open")
        #expect(text.contains("live · inputs input [4, 3, 16, 16] FLOAT · outputs output [4, 10] FLOAT"))
        #expect(text.contains("graph  ONNX graph · 11 nodes"))
        #expect(text.contains("node_Conv_32  Conv"))
        #expect(text.contains("input [4, 3, 16, 16] random (seed 0;"))
    }

    @Test func forwardBackwardThenAWeightShowsItsGradient() throws {
        let text = try Self.snapshot(keys: "f b / text:0.weight Enter g")
        goldens.assertMatches(text, named: "onnx-cnn-weight-gradient")
        #expect(text.contains("Gradient"))
        #expect(text.contains("loss fn sum(output)"))
        #expect(text.contains("∇"), "the tree shows gradient norms after b")
        #expect(!text.contains("no gradient yet"))
    }

    @Test func aNodeShowsItsInputsAndOutputsWithTheShapesOfTheRun() throws {
        let text = try Self.snapshot(keys: "f b / text:node_conv2d_1 Enter")
        goldens.assertMatches(text, named: "onnx-cnn-node-after-f")
        #expect(text.contains("op Conv · node 4 of 11 · opset 18"))
        #expect(text.contains("declared FLOAT [4, 8, 8, 8] · ran [4, 8, 8, 8]"))
        #expect(text.contains("∇ via this node"))
        #expect(text.contains("group = 8"))
    }

    @Test func inputTakesAFileOfTheGraphsInputsAndIsRefusedForOtherModels() throws {
        let binary = try NNViewBinary.path.get()
        let input = "Tests/ArchitecturesTests/Fixtures/onnx/cnn_small.input.safetensors"
        let text = try TmuxHarness.run(binary, ["snapshot", Self.model, "--input", input, "--size", "140x40", "--keys", "f"],
                                       in: NNViewBinary.packageRoot.path)
        #expect(text.contains("input [4, 3, 16, 16] file cnn_small.input.safetensors"))
        #expect(text.contains("forward: output [4, 10]"))
        #expect(throws: (any Error).self) {
            try TmuxHarness.run(binary, ["snapshot", "tied", "--input", input], in: NNViewBinary.packageRoot.path)
        }
        #expect(throws: (any Error).self) {
            try TmuxHarness.run(binary, ["snapshot", Self.model, "--input", "Tests/ArchitecturesTests/Fixtures/onnx/gpt2.input.safetensors"],
                                in: NNViewBinary.packageRoot.path)
        }
    }
}
