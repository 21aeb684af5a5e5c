import NNCore
import Testing

// A leaf with one use site shares its contribution with `grad` instead of copying it. These tests compare the
// tied leaf with an untied reference: one clone of the leaf per use site, whose own `grad` is exactly what the
// site's contribution has to hold (same values, same additions in the same order, so bit for bit).

/// A chain of `linear` + ReLU layers, one per entry of `sites`, each using the weight `weights[site]`.
private func chain(_ x: Tensor, sites: [String], weights: (String) -> Tensor) throws -> Tensor {
    var h = x
    for site in sites {
        h = try Autograd.withUseSite(site) { try linear(h, weight: weights(site), bias: nil) }.relu()
    }
    return h.sum()
}

/// A fresh leaf with `t`'s values.
private func clone(_ t: Tensor) throws -> Tensor {
    let c = try Tensor(t.toArray(), shape: t.shape)
    c.requiresGrad = true
    return c
}

/// The contributions of `leaf` as site → values.
private func contributions(_ leaf: Tensor) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: leaf.gradientContributions.map { ($0.site, $0.gradient.toArray()) })
}

@Test func aSingleSiteContributionIsTheGradItselfOverSeveralPasses() throws {
    let w = sample([3, 3], seed: 11, low: 0.1, high: 1)
    w.requiresGrad = true
    let reference = try clone(w)
    let x = sample([2, 3], seed: 12, low: 0.1, high: 1)
    for pass in 1...3 {
        try chain(x, sites: ["a"], weights: { _ in w }).backward()
        try chain(x, sites: ["a"], weights: { _ in reference }).backward()
        let grad = try #require(w.grad)
        #expect(w.gradientContributions.map(\.site) == ["a"])
        #expect(w.gradientContributions[0].gradient === grad)  // shared, not copied
        #expect(grad.toArray() == reference.grad?.toArray())
        #expect(w.backwardCount == pass)
    }
    w.zeroGrad()
    #expect(w.gradientContributions.isEmpty && w.grad == nil)
}

/// Site "b" appears in the second pass (delivered before or after "a" in backward, depending on the forward
/// order) and "a" is gone in the third; every contribution stays bit-identical to its site's own clone.
@Test(arguments: [["a", "b"], ["b", "a"]])
func aSecondSiteInALaterPassSeparatesTheFirst(secondPassOrder: [String]) throws {
    let w = sample([3, 3], seed: 21, low: 0.1, high: 1)
    w.requiresGrad = true
    let clones = ["a": try clone(w), "b": try clone(w)]
    let x = sample([2, 3], seed: 22, low: 0.1, high: 1)
    for sites in [["a"], secondPassOrder, ["b"]] {
        try chain(x, sites: sites, weights: { _ in w }).backward()
        try chain(x, sites: sites, weights: { clones[$0]! }).backward()
    }
    #expect(w.gradientContributions.map(\.site) == ["a", "b"])
    #expect(contributions(w) == ["a": try #require(clones["a"]?.grad).toArray(),
                                 "b": try #require(clones["b"]?.grad).toArray()])
    let sum = try #require(clones["a"]?.grad) + #require(clones["b"]?.grad)
    #expect(close(try #require(w.grad).toArray(), sum.toArray()))
    #expect(w.gradientContributions.allSatisfy { $0.gradient !== w.grad })
    #expect(w.backwardCount == 3)
}

@Test func aLeafThatIsItsOwnBackwardRootContributesThroughTheEmptySite() throws {
    let w = sample([3, 3], seed: 31, low: 0.1, high: 1)
    w.requiresGrad = true
    let reference = try clone(w)
    let seed = sample([3, 3], seed: 32)
    try w.backward(gradient: seed)
    #expect(w.gradientContributions.map(\.site) == [""])
    #expect(w.gradientContributions[0].gradient === w.grad)
    #expect(w.grad?.toArray() == seed.toArray())
    #expect(w.grad?.storage !== seed.storage)
    // A use through a site after that: the root's share keeps the seed, the new site gets its own gradient.
    let x = sample([2, 3], seed: 33, low: 0.1, high: 1)
    try chain(x, sites: ["a"], weights: { _ in w }).backward()
    try chain(x, sites: ["a"], weights: { _ in reference }).backward()
    #expect(w.gradientContributions.map(\.site) == ["", "a"])
    #expect(contributions(w) == ["": seed.toArray(), "a": try #require(reference.grad).toArray()])
    // And the leaf as root again adds the seed to its own site.
    try w.backward(gradient: seed)
    let twice = try seed + seed
    #expect(contributions(w)[""] == twice.toArray())
    #expect(w.backwardCount == 3)
}

@Test func aGradReplacedOrEditedByTheUserLeavesTheContributionAlone() throws {
    let w = sample([3, 3], seed: 41, low: 0.1, high: 1)
    w.requiresGrad = true
    let reference = try clone(w)
    let x = sample([2, 3], seed: 42, low: 0.1, high: 1)
    func step() throws {
        try chain(x, sites: ["a"], weights: { _ in w }).backward()
        try chain(x, sites: ["a"], weights: { _ in reference }).backward()
    }
    try step()
    let firstGrad = try #require(w.grad)
    let once = firstGrad.toArray()
    // Edited in place through the data-editing API: the contribution keeps the gradient that flowed.
    firstGrad.scaleData(by: 0)
    #expect(w.gradientContributions[0].gradient.toArray() == once)
    #expect(w.grad?.toArray() == [Float](repeating: 0, count: 9))
    try step()
    #expect(contributions(w)["a"] == reference.grad?.toArray())
    #expect(w.grad?.toArray() == once)  // 0 + the second pass's gradient, equal to the first's
    // Replaced by another tensor: the next pass adds into the user's tensor, the contribution keeps its own sum.
    let replacement = Tensor.ones([3, 3])
    w.grad = replacement
    try step()
    #expect(contributions(w)["a"] == reference.grad?.toArray())
    #expect(w.grad === replacement)
    let expected = try Tensor.ones([3, 3]) + Tensor(once, shape: [3, 3])
    #expect(w.grad?.toArray() == expected.toArray())
    // Set to nil: the next pass's gradient becomes the grad, the contribution still sums all passes.
    w.grad = nil
    try step()
    #expect(contributions(w)["a"] == reference.grad?.toArray())
    #expect(w.grad?.toArray() == once)
    #expect(w.backwardCount == 4)
    // Edited through a view and then accumulated into without a look at the contributions in between.
    try w.grad?.reshape([9]).withUnsafeMutableBufferPointer { $0[0] = 100 }
    try step()
    #expect(contributions(w)["a"] == reference.grad?.toArray())
    #expect(w.grad?.toArray()[0] == 100 + once[0])
    // A grad set before the first pass since zeroGrad: the contribution holds only what its site delivered.
    w.zeroGrad(); reference.zeroGrad()
    w.grad = Tensor.ones([3, 3])
    try step()
    #expect(contributions(w)["a"] == reference.grad?.toArray())
    #expect(w.grad?.toArray() == expected.toArray())
    #expect(w.backwardCount == 1)
}

@Test func twoLeavesGivenOneGradTensorKeepTheirContributionsApart() throws {
    let a = Tensor([1, 2]), b = Tensor([3, 4])
    a.requiresGrad = true; b.requiresGrad = true
    try (a * 2).sum().backward()
    b.grad = a.grad  // the user aliases the two grads
    try (b * 5).sum().backward()
    #expect(a.grad?.toArray() == [7, 7] && b.grad?.toArray() == [7, 7])
    #expect(a.gradientContributions[0].gradient.toArray() == [2, 2])
    #expect(b.gradientContributions[0].gradient.toArray() == [5, 5])
}

@Test func aFailedPassLeavesNoPlaceholderContribution() throws {
    let w = Tensor([1, 2])
    w.requiresGrad = true
    let z = Autograd.withUseSite("b") { w * 2 }
    try z.sum().backward()  // frees z's node
    let y = try Autograd.withUseSite("a") { w * 3 } + z
    #expect(throws: TensorError.self) { try y.sum().backward() }
    #expect(w.gradientContributions.allSatisfy { $0.gradient.shape == [2] })
    #expect(w.grad?.toArray() == [2, 2])
}
