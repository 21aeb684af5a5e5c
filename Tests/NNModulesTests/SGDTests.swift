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

/// `SGD.step`'s in-place loop against the update written with tensor ops, on random odd shapes, for every
/// combination of momentum and weight decay, over several steps (momentum buffers carried along), and for a
/// non-contiguous parameter (which takes the op path). The two must agree bit for bit: same ops, same order.
@Suite struct SGDInPlaceTests {
    func referenceStep(_ p: [Float], _ g: [Float], _ buffer: inout [Float]?, lr: Float, momentum: Float, decay: Float) throws -> [Float] {
        let pt = try Tensor(p, shape: [p.count]), gt = try Tensor(g, shape: [g.count])
        var d = gt
        if decay != 0 { d = try d + pt * decay }
        if momentum != 0 {
            if let b = buffer { d = try (try Tensor(b, shape: [b.count])) * momentum + d }
            buffer = d.toArray()
        }
        return try (pt - d * lr).toArray()
    }

    @Test(arguments: [(Float(0), Float(0)), (0.9, 0), (0, 0.01), (0.9, 0.01)])
    func inPlaceStepsMatchTheOpReference(momentum: Float, decay: Float) throws {
        var generator = SeededGenerator(seed: 11)
        for shape in [[1], [7], [3, 5], [17, 33], [2, 3, 9]] {
            let parameter = Tensor.randn(shape, generator: &generator)
            let transposedBase = Tensor.randn(shape.count == 2 ? [shape[1], shape[0]] : shape, generator: &generator)
            let strided = shape.count == 2 ? try transposedBase.t() : transposedBase
            let optimiser = try SGD(tensors: [parameter, strided], lr: 0.05, momentum: momentum, weightDecay: decay)
            var expected = [parameter.toArray(), strided.toArray()]
            var buffers: [[Float]?] = [nil, nil]
            for _ in 0 ..< 3 {
                optimiser.zeroGrad()
                let target = Tensor.randn(shape, generator: &generator)
                let other = Tensor.randn(shape, generator: &generator)
                try ((parameter * target).sum() + (strided * other).sum()).backward()
                for (index, tensor) in [parameter, strided].enumerated() {
                    let grad = try #require(tensor.grad).toArray()
                    expected[index] = try referenceStep(expected[index], grad, &buffers[index], lr: 0.05, momentum: momentum, decay: decay)
                }
                try optimiser.step()
                #expect(parameter.toArray() == expected[0], "shape \(shape)")
                #expect(strided.toArray() == expected[1], "strided shape \(shape)")
            }
            #expect(parameter.isLeaf && parameter.requiresGrad)
        }
    }
}
