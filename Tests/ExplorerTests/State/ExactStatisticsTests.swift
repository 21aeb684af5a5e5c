import Foundation
import Testing
import TerminalUI
import ModelFiles
import TestSupport
@testable import Explorer

/// Statistics are exact, or say what they are (issue 15 §3).
@Suite struct ExactStatisticsTests {
    /// 8M elements (twice the old 4M sampling budget): a value in an odd row used to be skipped.
    @Test func everyRowOfALargeTensorCounts() throws {
        let rows = 8000, cols = 1000
        var values = [Float](repeating: 0.5, count: rows * cols)
        values[1 * cols + 7] = 9  // row 1: not among every 2nd row
        values[7999 * cols] = -3
        let source = MatrixSource(rows: rows, cols: cols, elements: .values(values))
        let (stats, histogram) = try #require(TensorStatistics.compute(source))
        #expect(!stats.isSampled && stats.count == rows * cols)
        #expect(stats.max == 9 && stats.min == -3)
        let squares = Double(rows * cols - 2) * 0.25 + 81 + 9
        #expect(abs(Double(stats.norm) - squares.squareRoot()) < 1e-3)
        #expect(histogram.counts.reduce(0, +) == rows * cols)
    }

    @Test func ordinalsAreEnglish() {
        let expected = [1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st",
                        22: "22nd", 23: "23rd", 101: "101st", 111: "111th", 1002: "1,002nd"]
        for (n, text) in expected { #expect(NumberFormat.ordinal(n) == text) }
    }

    @Test func theHeatmapSaysWhichRowsItRead() {
        // 8000 × 1000 in a 10 × 10 grid: twice the 4M read budget, so every 2nd row of a block is read.
        let source = MatrixSource(rows: 8000, cols: 1000, elements: .values([Float](repeating: 1, count: 8_000_000)))
        let grid = HeatmapDownsampler.grid(of: source, capacityRows: 10, capacityCols: 10, zoom: 0,
                                           pan: GridPoint(row: 0, col: 0), cursor: nil)
        #expect(grid.methodLabel.contains("(every 2nd row read)"), "\(grid.methodLabel)")
        // The statistics of the same tensor are exact.
        #expect(TensorStatistics.compute(source)?.0.isSampled == false)
    }

    /// The case: MiniLM's 30522×384 word embedding, mapped from the real file, against PyTorch
    /// (scripts/reference/minilm_embedding_stats.py): min -0.507324219, max 1.04939997, mean 1.17786216e-05,
    /// std 0.0556233411, norm 190.42729. The explorer showed max 0.7251 and norm 134.8 from sampled rows.
    @Test func miniLMEmbeddingStatisticsMatchPyTorch() throws {
        guard let folder = try RealModels.url(RealModels.miniLMFolder) else { return }
        let state = try ExplorerState(model: try ModelLoader.load(folder.appendingPathComponent("model.safetensors").path))
        #expect(state.select(path: "embeddings.word_embeddings.weight"))
        let stats = try #require(try tensorDetail(state).stats)
        #expect(!stats.isSampled && stats.count == 30522 * 384)
        #expect(stats.min == -0.507324219 && stats.max == 1.04939997)
        #expect(abs(stats.norm - 190.42729) < 190.42729 * 1e-4)
        #expect(abs(stats.mean - 1.17786216e-05) < 1e-7)
        #expect(abs(stats.std - 0.0556233411) < 0.0556233411 * 1e-4)
    }
}
