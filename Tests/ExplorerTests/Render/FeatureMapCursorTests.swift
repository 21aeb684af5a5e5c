import Foundation
import NNCore
import Testing
import TerminalUI
@testable import Explorer

/// A convolution's output drawn as a grid of feature maps has a cursor, as a conv kernel's grid does: with the
/// detail pane focused the arrows move it inside a map and `<` `>` step through the maps (then the samples), and
/// the line above the grid reads the element.
@Suite struct FeatureMapCursorTests {
    @Test func theCursorReadsTheElementOfTheMapItIsIn() throws {
        // 16 × 16 maps are browsed as a kernel grid: kernel [o, i] is sample o, map i; l hops the gap between maps.
        let text = try KernelGridSnapshotTests.snapshot(keys: "f j Tab l l j")
        #expect(text.contains("output: map 0 of 8, sample 0, [y 1, x 2] = "), "\(text)")
        let hopped = try KernelGridSnapshotTests.snapshot(keys: "f j Tab " + Array(repeating: "l", count: 17).joined(separator: " "))
        #expect(hopped.contains("output: map 1 of 8, sample 0, [y 0, x 1] = "), "\(hopped)")
        // < > step through the samples; the grid shows the cursor's sample.
        let next = try KernelGridSnapshotTests.snapshot(keys: "f j Tab l l j > >")
        #expect(next.contains("output: map 0 of 8, sample 2, [y 1, x 2] = "), "\(next)")
        #expect(next.contains("8 maps 16×16, sample 2/4"))
        // With the tree focused there is no cursor (the frame is as before).
        let unfocused = try KernelGridSnapshotTests.snapshot(keys: "f j")
        #expect(unfocused.contains("output of the last call") && !unfocused.contains("output: map"))
    }

    @Test func theCursorCellIsTheMapsBlockHoldingTheElement() throws {
        // 3 maps of 4×4, values = their flat index, shown 1:1 two maps a row.
        let output = try Tensor((0 ..< 2 * 3 * 16).map(Float.init), shape: [2, 3, 4, 4])
        let grid = try #require(FeatureMapGrid(output: output, slice: 4, cursor: GridPoint(row: 3, col: 1)))
        // Slice 4 = sample 1, map 1.
        #expect(grid.cursorText == "map 1 of 3, sample 1, [y 3, x 1] = \(NumberFormat.exact(Float(48 + 16 + 13)))")
        let drawn = grid.heatmap(rows: 9, cols: 9)
        #expect(drawn.cols == 9 && drawn.rows == 9, "two maps a row, two rows, a gap between")
        #expect(drawn.cursor == GridPoint(row: 3, col: 5 + 1))
        #expect(drawn.values[3 * 9 + 6] == Float(48 + 16 + 13))
        #expect(FeatureMapGrid(output: output)?.heatmap(rows: 9, cols: 9).cursor == nil)
    }
}
