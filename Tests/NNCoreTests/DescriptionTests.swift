import NNCore
import Testing

// Expected strings are what PyTorch 2.x prints for the same tensors.

@Test func printsMatricesScalarsAndGradFns() throws {
    let m = try Tensor([[0.1234, -0.5], [1, 2]])
    #expect(m.description == "tensor([[ 0.1234, -0.5000],\n        [ 1.0000,  2.0000]])")
    #expect(Tensor(scalar: 3.5).description == "tensor(3.5000)")
    #expect(Tensor([1, 2, 3]).description == "tensor([1., 2., 3.])")
    #expect(Tensor([-1, 20]).description == "tensor([-1., 20.])")
    let w = Tensor([1, 2])
    w.requiresGrad = true
    #expect(w.description == "tensor([1., 2.], requires_grad=True)")
    let x = try Tensor([[1, 2]]), weight = try Tensor([[0.5, 0.25]]), bias = Tensor([0.125])
    weight.requiresGrad = true
    #expect(try linear(x, weight: weight, bias: bias).description == "tensor([[1.1250]], grad_fn=<AddmmBackward0>)")
    #expect((w * 2).description == "tensor([2., 4.], grad_fn=<MulBackward0>)")
}

@Test func printsBoolsEmptiesAndScientificValues() throws {
    #expect((Tensor([1, 3]) > 2).description == "tensor([False,  True])")
    #expect(Tensor.zeros([0, 4]).description == "tensor([], size=(0, 4))")
    #expect(Tensor.zeros([0]).description == "tensor([])")
    #expect(Tensor([0.00001, 1]).description == "tensor([1.0000e-05, 1.0000e+00])")
    #expect(Tensor([1e9, 1]).description == "tensor([1.0000e+09, 1.0000e+00])")
    #expect(Tensor([0, 0]).description == "tensor([0., 0.])")
    #expect(Tensor([.nan, 1.5]).description == "tensor([   nan, 1.5000])")
    #expect(Tensor.zeros([2, 1, 2]).description == "tensor([[[0., 0.]],\n\n        [[0., 0.]]])")
}

@Test func wrapsLongRowsAndSummarisesLargeTensors() throws {
    // Values of width 3 ("19.") wrap at PyTorch's 80 columns: (80 - 7) / (3 + 2) = 14 per line.
    let long = Tensor.arange(20).description
    #expect(long == "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n        14., 15., 16., 17., 18., 19.])")
    #expect(Tensor.arange(2000).description == "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])")
    // Integers within a ratio of 1000 stay in integer mode; rows and columns keep 3 edge items.
    let big = try (Tensor.arange(1200) + 1000).reshape([40, 30]).description
    #expect(big.hasPrefix("tensor([[1000., 1001., 1002.,  ..., 1027., 1028., 1029.],\n        [1030.,"))
    #expect(big.contains("],\n        ...,\n        [2110.,"))
    #expect(big.hasSuffix("[2170., 2171., 2172.,  ..., 2197., 2198., 2199.]])"))
}
