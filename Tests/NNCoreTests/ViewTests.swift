import NNCore
import Testing
import TestSupport

@Test func viewsShareStorageWithoutCopying() throws {
    let x = Tensor.arange(6)
    let m = try x.reshape([2, 3])
    let t = try m.t()
    let s = try m.slice(dim: 1, start: 1, end: 3)
    let r = try m.row(1)
    for v in [m, t, s, r, try m.permute([1, 0]), try m.unsqueeze(0), try m.transpose(0, 1), x.detach(), x.data] {
        #expect(v.storage === x.storage)
    }
    #expect(!t.isContiguous)
    #expect(t.toArray() == [0, 3, 1, 4, 2, 5])
    #expect(s.toArray() == [1, 2, 4, 5])
    #expect(r.toArray() == [3, 4, 5])
    try m.setElement(at: [1, 2], to: 50)
    #expect(try x.element(at: [5]) == 50)
    #expect(try t.element(at: [2, 1]) == 50)
    // Reshaping a non-contiguous view has to copy.
    let flat = try t.reshape([-1])
    #expect(flat.storage !== x.storage)
    #expect(flat.toArray() == [0, 3, 1, 4, 2, 50])
    #expect(throws: TensorError.self) { try t.view([6]) }
}

@Test func shapeManipulationsProduceTheRightShapes() throws {
    let x = Tensor.zeros([2, 1, 3])
    #expect(x.squeeze().shape == [2, 3])
    #expect(try x.squeeze(dim: 1).shape == [2, 3])
    #expect(try x.squeeze(dim: 0).shape == [2, 1, 3])
    #expect(try x.unsqueeze(-1).shape == [2, 1, 3, 1])
    #expect(try x.flatten().shape == [6])
    #expect(try x.flatten(startDim: 1).shape == [2, 3])
    #expect(try x.expand(to: [4, 2, 5, 3]).shape == [4, 2, 5, 3])
    #expect(try x.expand(to: [-1, 2, -1]).shape == [2, 2, 3])
    #expect(try x.permute([2, 0, 1]).shape == [3, 2, 1])
    #expect(try x.reshape([3, -1]).shape == [3, 2])
    #expect(try x.slice(dim: -1, start: -2).shape == [2, 1, 2])
    #expect(try x.slice(dim: 2, start: 0, end: 3, step: 2).shape == [2, 1, 2])
    #expect(try x.select(dim: 2, index: -1).shape == [2, 1])
    #expect(try x[1].shape == [1, 3])
}

@Test func viewOpsHaveCorrectGradients() throws {
    let x = sample([2, 3, 4], seed: 11)
    try checkGradients([x]) { try $0[0].reshape([4, 6]) }
    try checkGradients([x]) { try $0[0].view([6, -1]) }
    try checkGradients([x]) { try $0[0].transpose(0, 2) }
    try checkGradients([x]) { try $0[0].permute([1, 2, 0]) }
    try checkGradients([x]) { try $0[0].slice(dim: 2, start: 1, end: 4, step: 2) }
    try checkGradients([x]) { try $0[0].select(dim: 1, index: 2) }
    try checkGradients([x]) { try $0[0].unsqueeze(1) }
    try checkGradients([x]) { try $0[0].flatten(startDim: 1) }
    try checkGradients([x]) { try $0[0].transpose(0, 1).contiguous() }
    try checkGradients([x]) { $0[0].clone() }
    try checkGradients([x]) { try $0[0].row(1) }
    let m = sample([3, 4], seed: 12)
    try checkGradients([m]) { try $0[0].t() }
    let column = sample([3, 1], seed: 13)
    try checkGradients([column]) { try $0[0].expand(to: [2, 3, 4]) }
    try checkGradients([column]) { try $0[0].squeeze(dim: 1) }
    try checkGradients([column]) { $0[0].squeeze() }
}

@Test func zeroSizeAndScalarTensorsWork() throws {
    let empty = Tensor.zeros([0, 4])
    #expect(empty.count == 0)
    #expect(empty.sum().toArray() == [0])
    #expect(try empty.sum(dim: 0).toArray() == [0, 0, 0, 0])
    #expect(try (empty + 1).shape == [0, 4])
    #expect(try empty.matmul(Tensor.ones([4, 2])).shape == [0, 2])
    #expect(try Tensor.ones([3, 0]).matmul(Tensor.ones([0, 2])).toArray() == [0, 0, 0, 0, 0, 0])
    #expect(throws: TensorError.self) { try empty.max() }
    let s = Tensor(scalar: 3)
    #expect(s.rank == 0 && s.count == 1)
    #expect(try s.item() == 3)
    #expect(try (s * Tensor([1, 2])).toArray() == [3, 6])
    #expect(try s.sum(dim: 0).shape == [])
    #expect(throws: TensorError.self) { try Tensor([1, 2]).item() }
}

@Test func catAndStackJoinTensorsWithGradients() throws {
    let a = sample([2, 3], seed: 1), b = sample([1, 3], seed: 2)
    let joined = try Tensor.cat([a, b], dim: 0)
    #expect(joined.shape == [3, 3])
    #expect(try joined[2].toArray() == b[0].toArray())
    #expect(try Tensor.stack([a, a], dim: 1).shape == [2, 2, 3])
    try checkGradients([a, b]) { try Tensor.cat([$0[0], $0[1]], dim: 0) }
    try checkGradients([a, sample([2, 2], seed: 3)]) { try Tensor.cat([$0[0], $0[1]], dim: -1) }
    try checkGradients([a]) { try Tensor.stack([$0[0], $0[0]]) }
    #expect(throws: TensorError.self) { try Tensor.cat([a, b], dim: 1) }
    #expect(throws: TensorError.self) { try Tensor.cat([], dim: 0) }
}
