import Architectures
import Foundation
import Images
import ModelFiles
import NNCore
import NNModules
import Testing
import TestSupport
import TerminalUI
@testable import Explorer

/// A torchvision checkpoint opened live: recognised from its names and shapes, the photo typed with `i`, the top-5
/// the explorer shows equal PyTorch's on the same photo, `b` runs the cross-entropy of the
/// top class backward, and the root's pane carries the 224 × 224 crop to draw. On the real MobileNetV2 (skipped
/// locally when it is absent, required under CI).
@Suite struct LiveImageTests {
    static let chelsea = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ImagesTests/Fixtures/chelsea.png").path

    @Test func mobileNetV2OpensLiveAndClassifiesThePhoto() throws {
        guard let url = try RealModels.url(RealModels.mobileNetV2Checkpoint) else { return }
        let loaded = try ModelLoader.load(url.path)
        guard case .live(let opened) = LiveModelOpener.open(path: url.path, archive: loaded.archive),
              let session = opened as? LiveImageSession else {
            Issue.record("the MobileNetV2 checkpoint did not open live")
            return
        }
        #expect(session.architecture == .mobilenetV2)
        let state = try ExplorerState(model: loaded, session: session)
        state.handle(.forward)
        #expect(state.status.isError && state.status.text.contains("press i"))

        state.handle(.newInput)
        typeLine(state, Self.chelsea)
        state.handle(.submit)
        #expect(!state.status.isError, "\(state.status.text)")
        state.handle(.forward)
        #expect(state.status.text.hasPrefix("forward: 285 Egyptian cat"), "\(state.status.text)")

        // PyTorch's logits for the same photo (torchvision's preset, written by the Images fixtures' script).
        let expectPath = URL(fileURLWithPath: Self.chelsea).deletingLastPathComponent()
            .appendingPathComponent("mobilenet_v2.chelsea.expect.safetensors").path
        let logits = try #require(try ModelFileReader.open(path: expectPath).tensor(named: "logits")).makeTensor()
        let expected = try Predictions.top(5, logits: logits.reshape([1, 1, logits.count]), batchIndex: 0, position: 0)
        #expect(session.lastTop.map(\.id) == expected.map(\.id))
        for (a, b) in zip(session.lastTop, expected) { #expect(abs(a.probability - b.probability) <= 1e-4) }

        guard case .module(let root) = state.detail else { Issue.record("the root is not selected"); return }
        #expect(root.image?.width == 224 && root.image?.height == 224)
        #expect(root.predictions.first == "chelsea.png → top classes:")

        state.handle(.backward)
        #expect(!state.status.isError, "\(state.status.text)")
        #expect(state.status.text.contains("cross-entropy of the top class 285 Egyptian cat"))
        let first = try #require(session.network.namedParameters().first?.tensor)
        #expect(first.grad.map { TensorStatistics.norm(of: $0) > 0 } == true)
    }
}

/// `i PATH | CLASS` names the true class `b` scores; a tiny classifier keeps this fast (the pooled photo through
/// one Linear layer to 1,000 ImageNet classes).
@Suite struct LiveImageTargetClassTests {
    static func session() throws -> LiveImageSession {
        Tensor.manualSeed(11)
        let network = Sequential(try AdaptiveAvgPool2d(outputSize: (1, 1)), Flatten(), Linear(3, ImageNetClasses.count))
        return LiveImageSession(network: network, architecture: .mobilenetV2)
    }

    @Test func aTypedClassIsWhatBackwardScores() throws {
        let session = try Self.session()
        _ = try session.setInput(LiveImageTests.chelsea + " | tabby")
        #expect(session.targetClass == 281)
        #expect(session.inputText.hasSuffix(" | 281"))
        #expect(session.lossName == "cross-entropy of class 281 tabby")
        let outcome = try session.backward()
        let logits = try Autograd.noGrad { try session.network(try #require(session.input)) }
        let expected = try crossEntropy(logits: logits, targets: try Tensor([281], shape: [1])).item()
        #expect(abs((outcome.loss ?? .nan) - expected) <= 1e-5)
        #expect(outcome.status.contains("cross-entropy of class 281 tabby"))

        _ = try session.setInput(LiveImageTests.chelsea + " | 7")
        #expect(session.targetClass == 7)
        _ = try session.setInput(LiveImageTests.chelsea)
        #expect(session.targetClass == nil && session.lossName == "cross-entropy of the top class")
    }

    @Test func anUnknownClassIsRefusedAndChangesNothing() throws {
        let session = try Self.session()
        _ = try session.setInput(LiveImageTests.chelsea + " | 3")
        for typed in ["1000", "-1", "no such animal"] {
            #expect(throws: ExplorerError.self) { try session.setInput(LiveImageTests.chelsea + " | " + typed) }
        }
        #expect(session.targetClass == 3 && session.imagePath == LiveImageTests.chelsea)
    }
}
