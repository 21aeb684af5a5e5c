import NNCore
import Testing
@testable import NNModules

/// BatchNorm1d on [N, C] and [N, C, L] (PyTorch's numbers in training mode are the reference cases
/// `bn1d_*` of ModelFilesTests); here what those do not reach: evaluation mode, the inputs it refuses, momentum=None.
@Suite struct BatchNorm1dTests {
    @Test func evaluationNormalisesWithTheRunningStatistics() throws {
        let norm = try BatchNorm1d(2, eps: 0)
        try #require(norm.buffer("running_mean")).copyData(from: Tensor([1, -2]))
        try #require(norm.buffer("running_var")).copyData(from: Tensor([4, 0.25]))
        norm.eval()
        let y = try norm(Tensor([3, 0, 5, -2], shape: [2, 2]))
        // (x − mean) / √var per channel: channel 0 (3 − 1)/2, (5 − 1)/2; channel 1 (0 + 2)/0.5, (−2 + 2)/0.5.
        #expect(y.toArray() == [1, 4, 2, 0])
        #expect(try #require(norm.buffer("num_batches_tracked")).item() == 0)
    }

    @Test func trainingTakesStatisticsOverTheBatchAndTheLength() throws {
        let norm = try BatchNorm1d(1, momentum: nil)
        // One channel, values 0…5 over N = 2 and L = 3: mean 2.5, unbiased variance 3.5.
        let x = try Tensor([0, 1, 2, 3, 4, 5], shape: [2, 1, 3])
        _ = try norm(x)
        #expect(try #require(norm.buffer("running_mean")).toArray() == [2.5])
        #expect(abs(try #require(norm.buffer("running_var")).toArray()[0] - 3.5) < 1e-6)
    }

    @Test func refusesOtherRanksAndOtherChannelCounts() throws {
        let norm = try BatchNorm1d(3)
        #expect(throws: ModuleError(.shapeMismatch, "BatchNorm1d(3): expected a 2-d input [N, 3] or a 3-d input [N, 3, L], got [2, 3, 4, 4]")) {
            _ = try norm(Tensor.zeros([2, 3, 4, 4]))
        }
        #expect(throws: ModuleError.self) { _ = try norm(Tensor.zeros([2, 4])) }
        #expect(throws: ModuleError(.invalidArgument, "BatchNorm1d: num_features must be positive, got 0")) {
            _ = try BatchNorm1d(0)
        }
        // One value per channel cannot be normalised in training mode, as in PyTorch.
        #expect(throws: TensorError.self) { _ = try norm(Tensor.zeros([1, 3])) }
    }
}
