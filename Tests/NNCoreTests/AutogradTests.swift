import NNCore
import Testing

@Test func gradIsNilBeforeBackwardAndAccumulatesUntilZeroed() throws {
    let w = Tensor([1, 2, 3])
    w.requiresGrad = true
    #expect(w.grad == nil)
    #expect(w.isLeaf)
    // d/dw Σ w² = 2w
    try w.square().sum().backward()
    #expect(w.grad?.toArray() == [2, 4, 6])
    try w.square().sum().backward()
    #expect(w.grad?.toArray() == [4, 8, 12])
    #expect(w.backwardCount == 2)
    w.zeroGrad()
    #expect(w.grad == nil)
    #expect(w.gradientContributions.isEmpty)
    #expect(w.backwardCount == 0)
}

@Test func aTensorUsedTwiceGetsTheSumOfItsGradients() throws {
    let x = Tensor([3])
    x.requiresGrad = true
    // y = x·x + x → dy/dx = 2x + 1
    let y = try x * x + x
    try y.sum().backward()
    #expect(y.gradFn?.name == "AddBackward0")
    #expect(!y.isLeaf)
    #expect(x.grad?.toArray() == [7])
}

@Test func backwardOnANonScalarNeedsAGradient() throws {
    let x = Tensor([1, 2])
    x.requiresGrad = true
    let y = x * 2
    let error = #expect(throws: TensorError.self) { try y.backward() }
    #expect(error?.op == "backward")
    try y.backward(gradient: Tensor([1, 10]))
    #expect(x.grad?.toArray() == [2, 20])
    #expect(throws: TensorError.self) { try Tensor([1]).backward() }
    #expect(throws: TensorError.self) { try (x * 2).backward(gradient: Tensor([1, 2, 3])) }
}

@Test func backwardFreesTheGraphAndASecondPassIsAnError() throws {
    let x = Tensor([1, 2])
    x.requiresGrad = true
    let y = (x * 3).sum()
    try y.backward()
    #expect(y.gradFn?.isReleased == true)
    #expect(y.gradFn?.name == "SumBackward0")
    #expect(throws: TensorError.self) { try y.backward() }
}

@Test func aChainOfOneHundredThousandOpsBackpropagatesIteratively() throws {
    let x = Tensor(scalar: 1)
    x.requiresGrad = true
    var y = x
    for _ in 0..<100_000 { y = y * 1.00001 }
    try y.backward()
    // d/dx x·c^n = c^n
    let expected = Tensor(scalar: 1.00001).pow(100_000).toArray()[0]
    #expect(abs(try #require(x.grad).item() - expected) < 1e-3 * expected)
}

@Test func noGradRecordsNothingAndDetachCutsTheGraph() throws {
    let w = Tensor([1, 2])
    w.requiresGrad = true
    #expect(Autograd.isGradEnabled)
    let y = Autograd.noGrad { w * 2 }
    #expect(y.gradFn == nil && !y.requiresGrad)
    let inside = Autograd.noGrad { Autograd.isGradEnabled }
    #expect(!inside)
    #expect(Autograd.noGrad { Autograd.enableGrad { Autograd.isGradEnabled } })
    let z = (w * 2).detach()
    #expect(z.gradFn == nil && !z.requiresGrad)
    #expect(throws: TensorError.self) { try z.sum().backward() }
    // Editing data in place is not recorded and shows through every view.
    w.data.scaleData(by: 10)
    #expect(w.toArray() == [10, 20])
    #expect(w.isLeaf)
    w.fill(1)
    try w.copyData(from: Tensor([5, 6]))
    #expect(w.toArray() == [5, 6])
    try w.addScaledData(Tensor([1, 1]), scale: -0.5)
    #expect(w.toArray() == [4.5, 5.5])
    try w.withUnsafeMutableBufferPointer { $0[0] = 0 }
    #expect(w.toArray() == [0, 5.5])
    #expect(throws: TensorError.self) { try w.copyData(from: Tensor([1, 2, 3])) }
}

@Test func gradientContributionsSplitATiedWeightByUseSite() throws {
    let shared = sample([3, 3], seed: 91)
    shared.requiresGrad = true
    let x = sample([2, 3], seed: 92)
    func step() throws {
        let h = try Autograd.withUseSite("2") { try linear(x, weight: shared, bias: nil) }.relu()
        let out = try Autograd.withUseSite("4") { try linear(h, weight: shared, bias: nil) }
        try out.sum().backward()
    }
    try step()
    let sites = shared.gradientContributions.map(\.site)
    #expect(sites == ["2", "4"])
    let first = shared.gradientContributions.map { $0.gradient.toArray() }
    let total = try #require(shared.grad)
    let summed = try shared.gradientContributions[0].gradient + shared.gradientContributions[1].gradient
    #expect(close(summed.toArray(), total.toArray()))
    #expect(shared.backwardCount == 1)
    // A second backward doubles every contribution and the total.
    try step()
    #expect(shared.backwardCount == 2)
    for (i, c) in shared.gradientContributions.enumerated() {
        #expect(close(c.gradient.toArray(), first[i].map { 2 * $0 }))
    }
    let summedAgain = try shared.gradientContributions[0].gradient + shared.gradientContributions[1].gradient
    #expect(close(summedAgain.toArray(), try #require(shared.grad).toArray()))
    shared.zeroGrad()
    #expect(shared.gradientContributions.isEmpty)
}

@Test func useSitesAreIsolatedBetweenConcurrentTasks() async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        for i in 0..<8 {
            group.addTask {
                let w = Tensor([1])
                w.requiresGrad = true
                let y = Autograd.withUseSite("site\(i)") { w * Float(i) }
                try y.sum().backward()
                return y.gradFn?.useSite == "site\(i)" && w.gradientContributions.map(\.site) == ["site\(i)"]
            }
        }
        for try await ok in group { #expect(ok) }
    }
}

@Test func memoryStaysFlatOverManyTrainingSteps() throws {
    let w = sample([8, 20], seed: 1), b = Tensor.zeros([8])
    w.requiresGrad = true; b.requiresGrad = true
    let x = sample([4, 20], seed: 2)
    weak var firstOutput: Tensor?
    for step in 0..<10_000 {
        let y = try linear(x, weight: w, bias: b).relu().sum()
        if step == 0 { firstOutput = y }
        try y.backward()
        try w.addScaledData(try #require(w.grad), scale: -1e-6)
        w.zeroGrad(); b.zeroGrad()
    }
    // Nothing from the first step's graph is kept alive.
    #expect(firstOutput == nil)
}

/// Backward adopts a fresh first gradient as `grad` instead of copying it, but only when nothing else can see
/// it: one gradient fanned out to two leaves, a caller's seed gradient and the contributions must all stay
/// separate tensors, and later accumulation must not leak between them.
@Test func adoptedGradientsAreNeverShared() throws {
    let a = Tensor([1, 2, 3]), b = Tensor([4, 5, 6])
    a.requiresGrad = true; b.requiresGrad = true
    // add's backward hands the same gradient tensor to both inputs.
    let seed = Tensor([1, 10, 100])
    try (a + b).backward(gradient: seed)
    let ga = try #require(a.grad), gb = try #require(b.grad)
    #expect(ga !== gb && ga.storage !== gb.storage)
    #expect(ga.storage !== seed.storage && gb.storage !== seed.storage)
    #expect(ga.toArray() == [1, 10, 100] && gb.toArray() == [1, 10, 100])
    // A second pass accumulates into each grad in place; the seed and the contributions keep their values.
    try (a + b * 2).backward(gradient: seed)
    #expect(a.grad?.toArray() == [2, 20, 200])
    #expect(b.grad?.toArray() == [3, 30, 300])
    #expect(seed.toArray() == [1, 10, 100])
    #expect(a.gradientContributions.count == 1 && a.gradientContributions[0].gradient.toArray() == [2, 20, 200])
    // The single site's contribution is the grad tensor itself until an edit, which then reaches only the grad.
    try a.grad?.copyData(from: Tensor([0, 0, 0]))
    #expect(a.gradientContributions[0].gradient.toArray() == [2, 20, 200])
    #expect(a.gradientContributions[0].gradient.storage !== a.grad?.storage)
    // A leaf's own backward with a caller's gradient never adopts the caller's tensor.
    let leaf = Tensor([7, 8])
    leaf.requiresGrad = true
    let callerGradient = Tensor([0.5, 0.25])
    try leaf.backward(gradient: callerGradient)
    try leaf.grad?.copyData(from: Tensor([9, 9]))
    #expect(callerGradient.toArray() == [0.5, 0.25])
    // A fresh rule result is adopted: writing into the grad changes no other tensor the graph produced.
    let w = try Tensor([[1, 2], [3, 4]])
    w.requiresGrad = true
    let x = try Tensor([[1, 1]])
    let y = try linear(x, weight: w, bias: nil)
    try y.sum().backward()
    #expect(w.grad?.toArray() == [1, 1, 1, 1])
    #expect(w.gradientContributions[0].gradient.toArray() == [1, 1, 1, 1])
    try w.grad?.copyData(from: Tensor.zeros([2, 2]))
    #expect(w.gradientContributions[0].gradient.toArray() == [1, 1, 1, 1])
    #expect(x.toArray() == [1, 1] && w.toArray() == [1, 2, 3, 4])
}

/// A plain `withUseSite` inside a call keeps the calling object visible (the module system finds its parent
/// through it), and an owner is visible only inside its own body.
@Test func useSitesCarryTheirOwner() {
    final class Marker {}
    let marker = Marker()
    #expect(Autograd.currentUseSiteOwner == nil)
    Autograd.withUseSite("outer", owner: marker) {
        #expect(Autograd.currentUseSite == "outer" && Autograd.currentUseSiteOwner === marker)
        Autograd.withUseSite("inner") {
            #expect(Autograd.currentUseSite == "inner" && Autograd.currentUseSiteOwner === marker)
        }
    }
    #expect(Autograd.currentUseSite == nil && Autograd.currentUseSiteOwner == nil)
}
