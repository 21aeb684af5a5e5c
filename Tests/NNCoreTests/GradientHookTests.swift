import Testing
@testable import NNCore

/// `registerGradientHook`: PyTorch's `register_hook` on a non-leaf, the basis of `retain_grad`.
@Suite struct GradientHookTests {
    @Test func theHookSeesTheSummedGradientOfEveryUseOnce() throws {
        let x = try Tensor([1, 2, 3])
        x.requiresGrad = true
        let y = try x * x  // y = x², used twice below
        var seen: [[Float]] = []
        #expect(y.registerGradientHook { seen.append($0.toArray()) })
        // loss = Σ (3y + y·y) → ∂loss/∂y = 3 + 2y
        try (y * 3 + y * y).sum().backward()
        #expect(seen == [[5, 11, 21]])
        // And the gradient flows on unchanged: ∂loss/∂x = (3 + 2x²)·2x
        #expect(x.grad?.toArray() == [10, 44, 126])
    }

    @Test func onlyOutputsOfRecordedOpsTakeAHook() throws {
        let leaf = try Tensor([1, 2])
        leaf.requiresGrad = true
        #expect(!leaf.registerGradientHook { _ in })
        let untracked = try Tensor([1, 2]) * 2
        #expect(!untracked.registerGradientHook { _ in })
        let y = try leaf * 2
        try y.sum().backward()
        #expect(!y.registerGradientHook { _ in }, "a node freed by backward has no pass to join")
    }

    @Test func twoHooksOnOneTensorBothFire() throws {
        let x = try Tensor([1, -1])
        x.requiresGrad = true
        let y = x.relu()
        var calls = 0
        y.registerGradientHook { _ in calls += 1 }
        y.registerGradientHook { _ in calls += 10 }
        try y.sum().backward()
        #expect(calls == 11 && x.grad?.toArray() == [1, 0])
    }
}
