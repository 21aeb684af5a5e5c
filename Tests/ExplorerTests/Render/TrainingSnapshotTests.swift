import Foundation
import Testing

/// Rendered frames of training in the explorer (`T`), the update-to-weight ratios and the attention view's batch
/// browsing, from the real binary (`nnview snapshot` runs a training run to its end before the next key).
@Suite struct TrainingSnapshotTests {
    @Test func aTrainingRunsStripShowsProgressAndTheLossCurve() throws {
        // The tied network with the mse loss (L L: sum → mean → mse) against its generated target, 40 steps at
        // lr 0.2 (R types it).
        let text = try NNViewBinary.snapshot("tied", size: "100x30", keys: "L L R text:0.2 Enter T text:40 Enter")
        goldens.assertMatches(text, named: "training-tied-mse-40")
        #expect(text.contains("┌ Training"))
        #expect(text.contains("trained 40 steps [██████████████████████████████] 100% · lr 0.2 · u undoes the run"))
        #expect(text.contains("loss: first "))
        #expect(text.contains("min "))
        #expect(text.contains("trained 40 steps at lr 0.2: loss 0.5338 → 0.4106"))
        // Braille dots draw the curve.
        #expect(text.unicodeScalars.contains { (0x2801 ... 0x28FF).contains($0.value) })
        // The next key closes the strip (and does what it does).
        let closed = try NNViewBinary.snapshot("tied", size: "100x30", keys: "L L R text:0.2 Enter T text:40 Enter j")
        #expect(!closed.contains("┌ Training"))
    }

    @Test func undoAfterARunRestoresTheStartAndTheStatusSaysSo() throws {
        let start = try NNViewBinary.snapshot("tied", size: "100x30", keys: "/ text:0.weight Enter")
        let undone = try NNViewBinary.snapshot("tied", size: "100x30", keys: "T text:5 Enter Esc / text:0.weight Enter u")
        #expect(undone.contains("undid: training run: trained 5 steps"))
        // The heatmap and statistics of 0.weight are as before the run.
        // (The tree's ∇ column differs: undo restores values, the run's last gradients stay.)
        let statsLines = { (frame: String) in
            frame.split(separator: "\n").filter { $0.contains("mean") || $0.contains("norm") }
                .map { $0.components(separatedBy: "││").last ?? "" }
        }
        #expect(statsLines(undone) == statsLines(start))
    }

    @Test func aLiveTransformerTrainsOnItsTypedText() throws {
        let typed = LiveTransformerSnapshotTests.typed("the cat sat")
        let text = try NNViewBinary.snapshot(LiveTransformerSnapshotTests.fixtures + "gpt2", size: "120x40",
                                             keys: "i \(typed) Enter T text:3 Enter")
        #expect(text.contains("trained 3 steps at lr 0.01: loss "), "\(text)")
        #expect(text.contains("┌ Training"))
    }

    @Test func theGradientFlowShowsTheLastUpdatesRatios() throws {
        let text = try NNViewBinary.snapshot("tied", size: "120x30", keys: "b s")
        goldens.assertMatches(text, named: "gradient-flow-update-ratios")
        #expect(text.contains("then ‖Δw‖/‖w‖ of the last update, log 1e-7…1e0, ┊ 1e-3"))
        // Each layer: its gradient norm, then its ratio (the tied network's layers all update by about 1e-3 to 1e-1).
        #expect(text.contains("0.3912    ") && text.contains("0.002006"))
        let before = try NNViewBinary.snapshot("tied", size: "120x30", keys: "b")
        #expect(!before.contains("‖Δw‖"))
    }

    @Test func attentionBrowsesTheTextsOfTheBatchAndMOpensTheMean() throws {
        let typed = LiveTransformerSnapshotTests.typed("the quick fox | a dog")
        let keys = "i \(typed) Enter f / text:h.0.attn Enter"
        let first = try NNViewBinary.snapshot(LiveTransformerSnapshotTests.fixtures + "gpt2", size: "160x50", keys: keys)
        #expect(first.contains("attention head 1 of 4 · text 1 of 2"))
        let second = try NNViewBinary.snapshot(LiveTransformerSnapshotTests.fixtures + "gpt2", size: "160x50", keys: keys + " }")
        goldens.assertMatches(second, named: "attention-gpt2-h0-text2")
        #expect(second.contains("attention head 1 of 4 · text 2 of 2"))
        // Text 2's tokens label the pattern, without the padding of the longer text 1.
        #expect(second.contains("strongest: query 'a' → key 'a': 1.0"))
        #expect(!second.contains("'the'"))
        // { from text 1 wraps to the last text.
        let wrapped = try NNViewBinary.snapshot(LiveTransformerSnapshotTests.fixtures + "gpt2", size: "160x50", keys: keys + " {")
        #expect(wrapped.contains("text 2 of 2"))
        let mean = try NNViewBinary.snapshot(LiveTransformerSnapshotTests.fixtures + "gpt2", size: "160x50", keys: keys + " m")
        #expect(mean.contains("attention mean of 4 heads"))
        let back = try NNViewBinary.snapshot(LiveTransformerSnapshotTests.fixtures + "gpt2", size: "160x50", keys: keys + " > m m")
        #expect(back.contains("attention head 2 of 4"))
    }
}
