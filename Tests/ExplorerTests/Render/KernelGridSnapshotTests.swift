import Foundation
import Testing

/// `nnview snapshot` of a small CNN spec (tests' Fixtures/cnn_small.nn, seeded weights): a conv kernel as a grid of
/// kernels with the cursor, one output channel zoomed, and a convolution's output as a grid of feature maps after
/// `f`. The real binary runs in its own process.
@Suite struct KernelGridSnapshotTests {
    static func snapshot(keys: String, size: String = "120x40") throws -> String {
        try NNViewBinary.snapshot("Tests/ExplorerTests/Fixtures/cnn_small.nn", size: size, keys: keys)
    }

    @Test func convKernelIsAGridOfKernelsWithTheCursorOnOne() throws {
        let text = try Self.snapshot(keys: "/ text:0.weight Enter Tab l l l l l j >")
        goldens.assertMatches(text, named: "kernel-grid-0.weight")
        #expect(text.contains("kernel [1, 1] · element [1, 2]  value = "), "l l l l l hops the gap column to input 1, x 2")
        #expect(text.contains("8×3 kernels 3×3 (+ < >)"))
    }

    @Test func zoomShowsOneOutputChannelsKernelsLarge() throws {
        let text = try Self.snapshot(keys: "/ text:0.weight Enter Tab l l l l l j > > +", size: "160x40")
        goldens.assertMatches(text, named: "kernel-grid-0.weight-zoomed")
        #expect(text.contains("kernel [2, 1] · element [1, 2]  value = "))
        #expect(text.contains("output channel 2 of 8 (- < >)"))
    }

    @Test func convOutputIsAGridOfFeatureMapsAfterForward() throws {
        let text = try Self.snapshot(keys: "f j")
        goldens.assertMatches(text, named: "feature-maps-0-after-f")
        #expect(text.contains("8 maps 16×16, sample 0/4, max|x| 3×3"))
        #expect(text.contains("out [4, 8, 16, 16]"))
    }
}
