import Testing
import NNCore
import NNModules
@testable import Explorer

/// LiveRun alone: losses and their staleness, the learning-rate ladder, targets, new batches, unsaved steps.
struct LiveRunTests {
    func run(loss: Loss = .sum, input: Tensor? = nil, target: Tensor? = nil) -> LiveRun {
        LiveRun(input: input, target: target, loss: loss, learningRate: 0.01, seed: 1, targetSeed: 7)
    }

    @Test func aLossIsStaleAfterAChangeUntilTheNextPass() {
        var live = run()
        live.modelChanged()
        #expect(!live.lastLossIsStale, "no loss yet: nothing is stale")
        live.backwardAccumulated(loss: 2)
        live.backwardAccumulated(loss: 1)
        #expect(live.lossHistory == [2, 1] && live.backwardPassesSinceZero == 2 && live.lastLoss == 1)
        live.modelChanged()
        #expect(live.lastLossIsStale)
        live.forwardComputed(loss: 0.5)
        #expect(!live.lastLossIsStale && live.lossHistory == [2, 1], "a forward pass adds no history")
        live.gradientsZeroed()
        #expect(live.backwardPassesSinceZero == 0)
    }

    @Test func theLossCyclesAndMakesTheShownLossStale() {
        var live = run()
        live.forwardComputed(loss: 1)
        var seen: [Loss] = []
        for _ in 0 ..< 4 {
            live.cycleLoss()
            seen.append(live.loss)
        }
        #expect(seen == [.mean, .mse, .crossEntropy, .sum])
        #expect(live.lastLossIsStale)
    }

    @Test func theLearningRateStepsAlongTheOneTwoFiveLadder() {
        var live = run()
        let up = live.stepLearningRate(up: true)
        #expect(up == 0.02 && live.learningRate == 0.02)
        let down = [live.stepLearningRate(up: false), live.stepLearningRate(up: false)]
        #expect(down == [0.01, 0.005])
        let refused = live.setLearningRate(-1)
        #expect(!refused && live.learningRate == 0.005)
        let set = live.setLearningRate(500)
        let beyond = live.stepLearningRate(up: true)
        #expect(set && beyond == nil && live.learningRate == 500)
    }

    @Test func aFittingTargetIsTheSpecsElseOneIsGenerated() throws {
        let target = try Tensor([1, 0], shape: [2])
        var live = run(loss: .crossEntropy, target: target)
        let fits = try live.target(for: Tensor.zeros([2, 3]))
        #expect(fits?.toArray() == [1, 0] && !live.targetIsGenerated)
        let generated = try live.target(for: Tensor.zeros([4, 3]))
        #expect(generated?.shape == [4] && live.targetIsGenerated)
        #expect(generated?.toArray().allSatisfy { $0 >= 0 && $0 < 3 && $0 == $0.rounded() } == true)
        var sum = run(loss: .sum)
        let none = try sum.target(for: Tensor.zeros([2, 3]))
        #expect(none == nil)
    }

    @Test func aNewBatchKeepsTheShapeAndTheKindOfValues() throws {
        var live = run()
        let ids = try Tensor([0, 3, 2, 1], shape: [2, 2])
        let fresh = try live.drawNewInput(like: ids, integralLimit: 1_000_000)
        #expect(fresh.shape == [2, 2] && live.input === fresh)
        #expect(fresh.toArray().allSatisfy { $0 >= 0 && $0 < 4 && $0 == $0.rounded() }, "token ids stay in range")
        let floats = try live.drawNewInput(like: try Tensor([0.5, 0.25], shape: [2]), integralLimit: 1_000_000)
        #expect(floats.toArray().allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test func stepsCountUntilSaved() {
        var live = run()
        live.stepsApplied(1)
        live.stepsApplied(1)
        live.stepsApplied(-1)
        #expect(live.unsavedSteps == 1)
        live.saved()
        #expect(live.unsavedSteps == 0)
    }
}
