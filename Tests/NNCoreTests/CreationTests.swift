import NNCore
import Testing

@Test func creationFunctionsFillTheRightValues() throws {
    #expect(Tensor.zeros([2, 3]).toArray() == [Float](repeating: 0, count: 6))
    #expect(Tensor.ones([2]).toArray() == [1, 1])
    #expect(Tensor.full([2], value: 7).toArray() == [7, 7])
    #expect(Tensor.arange(4).toArray() == [0, 1, 2, 3])
    #expect(Tensor.arange(start: 1, end: 2, step: 0.25).toArray() == [1, 1.25, 1.5, 1.75])
    #expect(Tensor.arange(start: 3, end: 0, step: -1).toArray() == [3, 2, 1])
    #expect(Tensor.eye(2).toArray() == [1, 0, 0, 1])
    #expect(try Tensor([[1, 2], [3, 4]]).shape == [2, 2])
    #expect(throws: TensorError.self) { try Tensor([[1, 2], [3]]) }
    #expect(throws: TensorError.self) { try Tensor([1, 2, 3], shape: [2, 2]) }
    #expect(throws: TensorError.self) { try Tensor([], shape: [-1]) }
    #expect(try Tensor.ones([2, 2]).element(at: [-1, -1]) == 1)
    #expect(throws: TensorError.self) { try Tensor.ones([2, 2]).element(at: [2, 0]) }
    #expect(throws: TensorError.self) { try Tensor.ones([2, 2]).row(5) }
}

@Test func seededGeneratorIsDeterministic() throws {
    var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
    let x = Tensor.rand([100], generator: &a), y = Tensor.rand([100], generator: &b)
    #expect(x.toArray() == y.toArray())
    #expect(x.toArray().allSatisfy { $0 >= 0 && $0 < 1 })
    // Pinned first values: the sequence must be the same on every machine.
    var c = SeededGenerator(seed: 0)
    let first = (0..<3).map { _ in c.next() }
    var d = SeededGenerator(seed: 0)
    #expect(first == (0..<3).map { _ in d.next() })
    let normals = Tensor.randn([10_000], generator: &a)
    let mean = try normals.mean().item()
    let variance = try (normals - mean).square().mean().item()
    #expect(abs(mean) < 0.05 && abs(variance - 1) < 0.05)
    Tensor.manualSeed(7)
    let r1 = Tensor.rand([5])
    Tensor.manualSeed(7)
    #expect(Tensor.rand([5]).toArray() == r1.toArray())
}

@Test func errorsNameTheOpAndShapes() throws {
    let error = #expect(throws: TensorError.self) { try Tensor.zeros([2, 3]) + Tensor.zeros([4]) }
    #expect(error?.description.hasPrefix("add: shapes [2, 3] and [4] cannot be broadcast") == true)
    #expect(throws: TensorError.self) { try Tensor.zeros([6]).reshape([4, -1]) }
    #expect(throws: TensorError.self) { try Tensor.zeros([6]).reshape([-1, -1]) }
    #expect(throws: TensorError.self) { try Tensor.zeros([2, 3]).transpose(0, 2) }
    #expect(throws: TensorError.self) { try Tensor.zeros([2, 3]).permute([0, 0]) }
    #expect(throws: TensorError.self) { try Tensor.zeros([2, 3]).expand(to: [4, 3, 3]) }
    #expect(throws: TensorError.self) { try Tensor.zeros([2, 3, 4]).t() }
    #expect(throws: TensorError.self) { try Tensor.zeros([2]).slice(dim: 0, step: 0) }
}
