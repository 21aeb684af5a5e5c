import NNCore
import Testing
@testable import NNModules

/// Activation capture on the book's networks: one record per module call with its output and, after backward,
/// ∂loss/∂output; the budget; and nothing captured unless asked.
@Suite struct ActivationCaptureTests {
    /// The tied network after one forward, with a capture of `budgetBytes`.
    static func capturedTiedNetwork(budgetBytes: Int = ActivationCapture.defaultBudgetBytes)
        throws -> (net: Sequential, capture: ActivationCapture, x: Tensor, loss: Tensor) {
        var generator = SeededGenerator(seed: 11)
        let net = BookNetworks.tied()
        let x = Tensor.rand([2, 4], generator: &generator)
        _ = try net(x)  // initialises the lazy layers
        for parameter in net.parameters() {
            try parameter.tensor().copyData(from: Tensor.randn(try parameter.tensor().shape, generator: &generator))
        }
        let capture = try ActivationCapture(budgetBytes: budgetBytes)
        net.activationCapture = capture
        let loss = try net(x).sum()
        return (net, capture, x, loss)
    }

    /// ∂(sum of the tied network's output)/∂h, for h the output of the call at `position` (2 or 4), computed by
    /// running the rest of the network from a fresh leaf holding h.
    static func gradientOfTheRest(_ net: Sequential, from h: Tensor, after position: Int) throws -> Tensor {
        let leaf = try Tensor(h.toArray(), shape: h.shape)
        leaf.requiresGrad = true
        var y = leaf
        for index in position + 1 ..< 7 { y = try net[index](y) }
        try y.sum().backward()
        return try #require(leaf.grad)
    }

    @Test func theSharedLayerHasOneRecordPerCallWithItsOwnGradient() throws {
        let (net, capture, x, loss) = try Self.capturedTiedNetwork()
        let shared = try net[2]
        let calls = capture.records(of: shared)
        #expect(calls.map(\.callLabel) == ["call 1 at 2", "call 2 at 4"])
        #expect(calls.map(\.typeName) == [shared.typeName, shared.typeName])
        #expect(capture.records.map(\.path) == ["0", "1", "2", "3", "4", "5", "6", ""], "children finish before their parent")
        #expect(calls.allSatisfy { $0.gradient == nil }, "no gradient before backward")

        // The outputs are the forward's own values: recompute each call from the previous record.
        let h1 = try #require(capture.records(at: "1").first?.output)
        let h2 = try #require(capture.records(at: "2").first?.output)
        let h3 = try #require(capture.records(at: "3").first?.output)
        let h4 = try #require(capture.records(at: "4").first?.output)
        #expect(try shared(h1).allClose(h2, rtol: 0, atol: 0))
        #expect(try shared(h3).allClose(h4, rtol: 0, atol: 0))
        #expect(try net[0](x).relu().allClose(h1, rtol: 0, atol: 0))
        #expect(!h2.allClose(h4, rtol: 1e-3, atol: 1e-3), "the two calls have different outputs")

        try loss.backward()
        let grad2 = try #require(capture.records(at: "2").first?.gradient)
        let grad4 = try #require(capture.records(at: "4").first?.gradient)
        // PyTorch's retain_grad on the two outputs: the gradient of the loss through the rest of the network.
        #expect(grad2.allClose(try Self.gradientOfTheRest(net, from: h2, after: 2), rtol: 1e-5, atol: 1e-6))
        #expect(grad4.allClose(try Self.gradientOfTheRest(net, from: h4, after: 4), rtol: 1e-5, atol: 1e-6))
        #expect(!grad2.allClose(grad4, rtol: 1e-3, atol: 1e-3))
        // The last layer's output is the network's: ∂sum/∂output is all ones, also for the root's record.
        #expect(try #require(capture.records(at: "6").first?.gradient).allClose(Tensor.ones([2, 1]), rtol: 0, atol: 0))
        #expect(try #require(capture.records(at: "").first?.gradient).allClose(Tensor.ones([2, 1]), rtol: 0, atol: 0))
        #expect(capture.isComplete && capture.refusal == nil && capture.refusedCount == 0)
        #expect(capture.summary.hasPrefix("8 module outputs, 8 gradients, 0 attention maps: "), "\(capture.summary)")
        // Every element stored once as Float32, each output with its gradient: 7 outputs [2, 8] or [2, 1] twice.
        #expect(capture.keptBytes == 2 * 4 * (6 * 16 + 2 + 2))

        let names = capture.namedTensors().map(\.name)
        #expect(names == ["act/0", "actgrad/0", "act/1", "actgrad/1", "act/2", "actgrad/2", "act/3", "actgrad/3",
                          "act/4", "actgrad/4", "act/5", "actgrad/5", "act/6", "actgrad/6"])
    }

    /// The README's capture example, line for line: if this breaks, the README is wrong.
    @Test func readmeExample() throws {
        let shared = LazyLinear(8)
        let tied = Sequential(LazyLinear(8), ReLU(), shared, ReLU(), shared, ReLU(), LazyLinear(1))
        let capture = try ActivationCapture(budgetBytes: 64 << 20)
        tied.activationCapture = capture
        try tied(Tensor.rand([2, 4])).sum().backward()
        #expect(capture.records(of: shared).map(\.callLabel) == ["call 1 at 2", "call 2 at 4"])
        #expect(capture.records(at: "4")[0].gradient!.shape == [2, 8])
    }

    @Test func aModuleCalledTwiceAtOnePathGetsNumberedNames() throws {
        let net = FixedHiddenMLP()
        let capture = try ActivationCapture()
        net.activationCapture = capture
        try net(Tensor.rand([2, 20])).backward()
        let calls = capture.records(at: "linear")
        #expect(calls.map(\.callLabel) == ["call 1 at linear", "call 2 at linear"])
        #expect(calls.allSatisfy { $0.gradient?.shape == [2, 20] })
        #expect(capture.namedTensors().map(\.name) == ["act/linear", "actgrad/linear", "act/linear#2", "actgrad/linear#2"])
    }

    @Test func theBudgetStopsTheCaptureWithAMessageAndTheNetworkStillRuns() throws {
        let (_, fullCapture, x, fullLoss) = try Self.capturedTiedNetwork()
        let expected = try #require(fullCapture.records(at: "").first?.output)
        // Room for the outputs and gradients of positions 0 and 1 ([2, 8] each: 64 bytes, twice), not of 2.
        let (net, capture, _, loss) = try Self.capturedTiedNetwork(budgetBytes: 300)
        #expect(capture.records.map(\.path) == ["0", "1"])
        #expect(capture.keptBytes == 256)
        let refusal = try #require(capture.refusal)
        #expect(refusal.neededBytes == 128)
        #expect(refusal.message.contains("call 1 at 2") && refusal.message.contains("300 B budget"), "\(refusal.message)")
        #expect(capture.refusedCount == 6, "positions 2…6 and the root")
        #expect(!capture.isComplete && capture.summary.contains("capture stopped at"))
        // The network ran whole (same seed, same weights and input): the same output and loss as the full capture.
        #expect(try #require(net.lastForward?.lastRecord(at: "")?.output).allClose(expected, rtol: 0, atol: 0))
        #expect(try loss.item() == fullLoss.item())
        try loss.backward()
        #expect(capture.records.allSatisfy { $0.gradient != nil })
        #expect(throws: ModuleError.self) { try ActivationCapture(budgetBytes: -1) }
        // A zero budget keeps nothing and refuses the first call.
        let none = try ActivationCapture(budgetBytes: 0)
        net.activationCapture = none
        _ = try net(x)
        #expect(none.records.isEmpty && none.refusal?.neededBytes == 128 && none.refusedCount == 8)
    }

    @Test func theOutputsAreUnchangedByCaptureAndNothingIsCapturedUnlessAsked() throws {
        let (net, capture, x, _) = try Self.capturedTiedNetwork()
        let captured = try #require(capture.records(at: "").first?.output)
        net.activationCapture = nil
        let plain = try net(x)
        #expect(plain.allClose(captured, rtol: 0, atol: 0))
        // The capture still holds the captured pass, and a backward through the uncaptured one writes nothing.
        #expect(capture.records.count == 8)
        try plain.sum().backward()
        #expect(capture.records.allSatisfy { $0.gradient == nil })
        // Without gradients, only outputs are kept (and counted once).
        let outputsOnly = try ActivationCapture(gradients: false)
        net.activationCapture = outputsOnly
        try net(x).sum().backward()
        #expect(outputsOnly.records.count == 8 && outputsOnly.records.allSatisfy { $0.gradient == nil })
        #expect(outputsOnly.keptBytes == 4 * (6 * 16 + 2 + 2))
    }

    @Test func aForwardWithoutAGraphKeepsOutputsOnly() throws {
        let (net, _, x, _) = try Self.capturedTiedNetwork()
        let capture = try ActivationCapture()
        net.activationCapture = capture
        _ = try Autograd.noGrad { try net(x) }
        #expect(capture.records.count == 8 && capture.keptBytes == 4 * (6 * 16 + 2 + 2))
    }

    @Test func attentionMapsAreKeptOnlyInsideACapturedCall() throws {
        let module = AttentionProbe()
        let probabilities = Tensor.ones([1, 2, 3, 3]) / 3
        module.probabilities = probabilities
        _ = try module(Tensor.zeros([1, 3]))
        #expect(module.sawCapture == false)
        let capture = try ActivationCapture()
        module.activationCapture = capture
        _ = try module(Tensor.zeros([1, 3]))
        #expect(module.sawCapture == true)
        #expect(capture.attentionMaps.map(\.path) == [""] && capture.attentionMaps.first?.headCount == 2)
        #expect(capture.attentionMaps.first?.callNumber == 1)
        module.captureAttention(probabilities)  // outside a call: ignored
        #expect(capture.attentionMaps.count == 1)
        let noAttention = try ActivationCapture(attention: false)
        module.activationCapture = noAttention
        _ = try module(Tensor.zeros([1, 3]))
        #expect(module.sawCapture == false && noAttention.attentionMaps.isEmpty && noAttention.records.count == 1)
    }
}

/// A module that hands fixed "attention probabilities" to the capture.
private final class AttentionProbe: Module {
    var probabilities = Tensor.zeros([1, 1, 1, 1])
    var sawCapture: Bool?

    override func forward(_ x: Tensor) throws -> Tensor {
        sawCapture = isCapturingAttention
        captureAttention(probabilities)
        return x
    }
}
