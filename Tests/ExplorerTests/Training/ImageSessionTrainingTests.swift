import Architectures
import Foundation
import ModelFiles
import NNCore
import NNModules
import Testing
import TerminalUI
@testable import Explorer

/// `T` on a live image session: the steps run the session's cross-entropy of the typed class (as `b` does), so
/// the class's loss falls, and one `u` takes the run back. A tiny classifier over the photo stands in for a
/// torchvision network (the session takes any module whose last parameter is the classifier's bias).
@Suite struct ImageSessionTrainingTests {
    @Test func trainingTowardsTheTypedClassLowersItsLossAndUndoesInOneStep() throws {
        let network = Sequential([
            try Conv2d(3, 4, kernelSize: (32, 32), stride: (32, 32)), ReLU(),
            try AdaptiveAvgPool2d(outputSize: (1, 1)), Flatten(), Linear(4, 3),
        ])
        let session = LiveImageSession(network: network, architecture: .mobilenetV2)
        _ = try session.setInput(LiveImageTests.chelsea + " | 2")
        let state = try ExplorerState(model: try ModelLoader.load("tied"), session: session)
        let before = TrainingInExplorerTests.parameters(state)
        try press(state, "T text:8 Enter")
        TrainingInExplorerTests.finish(state)
        let run = try #require(state.trainingRun)
        #expect(run.outcome == .completed && run.done == 8, "\(state.status.text)")
        let first = try #require(run.firstLoss), last = try #require(run.lastLoss)
        #expect(last < first, "class 2's cross-entropy should fall: \(run.losses)")
        #expect(state.status.text.hasPrefix("trained 8 steps at lr 0.01"), "\(state.status.text)")
        // The run's last step left its gradients and its update for the gradient flow.
        #expect(state.gradientFlow?.hasUpdateRatios == true)
        try press(state, "u")
        #expect(TrainingInExplorerTests.parameters(state) == before)
    }
}
