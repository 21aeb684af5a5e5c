import NNCore
import Testing
@testable import NNModules

/// `NonFiniteCheck` names the first tensor that holds NaN or Inf: values before gradients, namedParameters order.
@Suite struct NonFiniteCheckTests {
    /// The tied net with its lazy layers materialised by one forward pass.
    private func tiedNet() throws -> (Sequential, Tensor) {
        var generator = SeededGenerator(seed: 7)
        let x = Tensor.rand([2, 20], generator: &generator)
        let net = BookNetworks.tied()
        _ = try net(x)
        return (net, x)
    }

    @Test func finiteModelHasNoFinding() throws {
        let (net, x) = try tiedNet()
        #expect(NonFiniteCheck.firstNonFinite(in: net) == nil)
        try net(x).sum().backward()
        #expect(NonFiniteCheck.firstNonFinite(in: net) == nil)
    }

    @Test func nanInAParameterIsNamedWithItsIndex() throws {
        let (net, _) = try tiedNet()
        try net[2].parameter("weight").setElement(at: [1, 3], to: .nan)
        let finding = try #require(NonFiniteCheck.firstNonFinite(in: net))
        #expect(finding.name == "2.weight")
        #expect(finding.kind == .nan)
        #expect(finding.isGradient == false)
        #expect(finding.elementIndex == 1 * 8 + 3)
        #expect(finding.description == "2.weight: NaN at element 11")
    }

    @Test func earliestParameterInNamedOrderWins() throws {
        let (net, _) = try tiedNet()
        try net[6].parameter("bias").setElement(at: [0], to: -.infinity)
        try net[0].parameter("bias").setElement(at: [5], to: .infinity)
        let finding = try #require(NonFiniteCheck.firstNonFinite(in: net))
        #expect(finding.name == "0.bias")
        #expect(finding.kind == .inf)
        #expect(finding.value == .infinity)
    }

    @Test func valuesAreScannedBeforeGradients() throws {
        let (net, x) = try tiedNet()
        try net(x).sum().backward()
        // A bad gradient on the first layer and a bad value on the last: the value is reported.
        try net[0].parameter("weight").grad!.setElement(at: [0, 0], to: .nan)
        try net[6].parameter("weight").setElement(at: [0, 2], to: .infinity)
        #expect(NonFiniteCheck.firstNonFinite(in: net)?.name == "6.weight")
        try net[6].parameter("weight").setElement(at: [0, 2], to: 0)
        let finding = try #require(NonFiniteCheck.firstNonFinite(in: net))
        #expect(finding.name == "0.weight")
        #expect(finding.isGradient)
        #expect(finding.description == "0.weight.grad: NaN at element 0")
    }

    @Test func stridedViewsReportRowMajorIndex() throws {
        let t = try Tensor([[1, 2, 3], [4, .nan, 6]])
        let transposed = try t.transpose(0, 1)
        // transposed is [[1, 4], [2, NaN], [3, 6]]: row-major index 3.
        #expect(NonFiniteCheck.firstNonFinite(in: transposed)?.index == 3)
        #expect(NonFiniteCheck.firstNonFinite(in: Tensor([1, 2])) == nil)
    }

    /// SGD with an absurd learning rate blows the weights up; the check says which tensor went first, and that
    /// tensor really is the first non-finite one in namedParameters order.
    @Test func hugeLearningRateStepIsTracedToTheFirstTensor() throws {
        let (net, x) = try tiedNet()
        let target = Tensor.full([2, 1], value: 1)
        let optimizer = try SGD(net.parameters(), lr: 1e30)
        var finding: NonFiniteFinding?
        var steps = 0
        while finding == nil, steps < 20 {
            net.zeroGrad()
            let loss = try mseLoss(try net(x), target)
            try loss.backward()
            try optimizer.step()
            steps += 1
            finding = NonFiniteCheck.firstNonFinite(in: net)
        }
        let found = try #require(finding, "20 steps at lr 1e30 should overflow something")
        let named = net.namedParameters()
        let position = try #require(named.firstIndex { $0.name == found.name })
        if !found.isGradient {
            // Every parameter before it is finite; it holds the reported value at the reported index.
            for entry in named[..<position] {
                #expect(NonFiniteCheck.firstNonFinite(in: entry.tensor!) == nil, "\(entry.name) went first")
            }
        }
        let tensor = found.isGradient ? named[position].tensor!.grad! : named[position].tensor!
        let values = tensor.contiguous().toArray()
        #expect(!values[found.elementIndex].isFinite)
        #expect(values[..<found.elementIndex].allSatisfy { $0.isFinite })
    }
}
