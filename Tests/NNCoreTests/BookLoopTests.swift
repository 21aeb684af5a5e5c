import NNCore
import Testing

@Test func bookHalvingLoopRunsOnATensorComparison() throws {
    var X = try Tensor([[3, -4], [10, 1]])
    var halvings = 0
    while try X.abs().sum() > 1 { X /= 2; halvings += 1 }
    // |X| sums to 18; halving five times gives 18/32 ≤ 1 and four gives 18/16 > 1.
    #expect(halvings == 5)
    let expected: [Float] = [3.0 / 32, -4.0 / 32, 10.0 / 32, 1.0 / 32]
    #expect(X.toArray() == expected)
}

@Test func comparisonOfManyElementsInControlFlowIsAnError() throws {
    let x = Tensor([1, 2])
    #expect(throws: TensorError.self) {
        let decided: Bool = try x > 0
        _ = decided
    }
    let mask: Tensor = x > 1.5
    #expect(mask.dtype == .bool)
    #expect(mask.toArray() == [0, 1])
}

@Test func bookLoopExactlyAsWritten() throws {
    var X = Tensor.full([2, 2], value: 3)
    while try X.abs().sum() > 1 { X /= 2 }
    // 12 → 6 → 3 → 1.5 → 0.75: four halvings leave every element at 3/16.
    #expect(X.toArray() == [Float](repeating: 0.1875, count: 4))
}
