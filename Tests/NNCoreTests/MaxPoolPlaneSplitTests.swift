import Testing
@testable import NNCore

/// The max pool without gradients splits large batches of planes over the cores; its values must be the recording
/// path's (which keeps the argmax for backward) on every plane, with windows that reach into the padding.
@Test func maxPoolSplitOverTheCoresGivesTheRecordingPathsValues() throws {
    var generator = SeededGenerator(seed: 19)
    let x = Tensor.randn([3, 9, 56, 57], generator: &generator)  // 86,184 elements: above the split threshold
    let fast = try Autograd.noGrad { try maxPool2d(x, kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
    let leaf = try Tensor(x.toArray(), shape: x.shape)
    leaf.requiresGrad = true
    let recorded = try maxPool2d(leaf, kernel: (3, 3), stride: (2, 2), padding: (1, 1))
    #expect(fast.shape == [3, 9, 28, 29])
    #expect(fast.toArray() == recorded.toArray())
}
