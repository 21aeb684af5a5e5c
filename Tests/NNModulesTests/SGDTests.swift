import NNCore
import Testing
@testable import NNModules

@Suite struct SGDTests {
    /// p = [1, 2] with loss sum(p · [0.5, −1]) has gradient [0.5, −1] at every step.
    @Test func momentumAndWeightDecayMatchHandComputedSteps() throws {
        let p = try Tensor([1, 2], shape: [2])
        let c = try Tensor([0.5, -1], shape: [2])
        let slot = ParameterSlot(p, name: "p", owner: "test")
        let optimiser = try SGD([slot], lr: 0.1, momentum: 0.9, weightDecay: 0.01)
        // Step 1: d = g + 0.01·p = [0.51, −0.98]; buf = d; p −= 0.1·d → [0.949, 2.098]
        try (p * c).sum().backward()
        try optimiser.step()
        #expect(p.allClose(try Tensor([0.949, 2.098], shape: [2]), rtol: 1e-6, atol: 1e-6))
        // Step 2: d = [0.50949, −0.97902]; buf = 0.9·[0.51, −0.98] + d = [0.96849, −1.86102];
        //         p −= 0.1·buf → [0.852151, 2.284102]
        optimiser.zeroGrad()
        #expect(p.grad == nil)
        try (p * c).sum().backward()
        try optimiser.step()
        #expect(p.allClose(try Tensor([0.852151, 2.284102], shape: [2]), rtol: 1e-6, atol: 1e-6))
        #expect(p.isLeaf)
    }

    @Test func plainStepUpdatesTiedParametersOnceAndSkipsLazyOnes() throws {
        let net = BookNetworks.tied()
        let optimiser = try SGD(net.parameters(), lr: 0.5)
        try optimiser.step()  // Nothing initialised, nothing to do.
        try net(Tensor.rand([2, 4])).sum().backward()
        let weight = try net[2].parameter("weight")
        let expected = try weight - weight.grad! * 0.5
        try optimiser.step()
        #expect(weight.allClose(expected, rtol: 1e-6, atol: 1e-6))
        #expect(optimiser.parameters.count == 6)
    }

    @Test func invalidHyperparametersThrow() {
        #expect(throws: ModuleError.self) { try SGD([], lr: -1) }
        #expect(throws: ModuleError.self) { try SGD([], lr: 0.1, momentum: .nan) }
    }
}
