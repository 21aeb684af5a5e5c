import NNCore
import TerminalUI

/// A convolution's output `[N, C, H, W]` drawn as a grid of feature maps, one small heatmap per channel of one
/// sample, each H × W map reduced to fit (max |x| per block, sign kept) with a one-cell gap between maps. With a
/// cursor (the detail pane focused: the arrows move it inside a map, `<` `>` step through the maps and samples,
/// as over the output's [N, C] slices) the cell holding it is marked and `cursorText` reads its element.
///
/// Each map is reduced on its own, so a block never mixes two channels (or a gap) the way reducing the whole
/// laid-out grid would.
public final class FeatureMapGrid {
    let channels: Int
    let height: Int
    let width: Int
    let samples: Int
    /// The sample shown (from 0).
    let sample: Int
    /// The cursor: its map (channel) and element (y, x) in it; nil draws none.
    let cursor: (channel: Int, element: GridPoint)?
    /// The shown sample's maps, channel after channel, each row-major.
    let values: [Float]

    /// The grid of `output`, nil unless it is 4-d with non-empty dimensions. `slice` picks the sample and the
    /// cursor's map as the output's flat [N, C] slice index (`n × C + c`); `cursor` is the element in that map.
    init?(output: Tensor, slice: Int = 0, cursor: GridPoint? = nil) {
        let shape = output.shape
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else { return nil }
        samples = shape[0]
        channels = shape[1]
        height = shape[2]
        width = shape[3]
        let flat = min(max(slice, 0), samples * channels - 1)
        sample = flat / channels
        let (mapHeight, mapWidth, channel) = (shape[2], shape[3], flat % shape[1])
        self.cursor = cursor.map { (channel, GridPoint(row: min(max($0.row, 0), mapHeight - 1),
                                                       col: min(max($0.col, 0), mapWidth - 1))) }
        let contiguous = output.isContiguous ? output : output.contiguous()
        let mapSize = channels * height * width
        values = Array(contiguous.toArray()[sample * mapSize ..< (sample + 1) * mapSize])
    }

    /// `map 3 of 8, sample 0, [y 2, x 5] = 0.1234`, or nil without a cursor.
    public var cursorText: String? {
        guard let cursor else { return nil }
        let value = values[(cursor.channel * height + cursor.element.row) * width + cursor.element.col]
        return "map \(cursor.channel) of \(channels), sample \(sample), [y \(cursor.element.row), x \(cursor.element.col)]"
            + " = \(NumberFormat.exact(value))"
    }

    /// How the maps are placed for a capacity: maps per grid row and the reduction factor (elements per cell side).
    func layout(capacityRows: Int, capacityCols: Int) -> (perRow: Int, factor: Int) {
        var best = (perRow: 1, factor: Int.max)
        for perRow in 1 ... channels {
            let gridRows = (channels + perRow - 1) / perRow
            let roomCols = (capacityCols - (perRow - 1)) / perRow, roomRows = (capacityRows - (gridRows - 1)) / gridRows
            guard roomCols > 0, roomRows > 0 else { continue }
            let factor = max((width + roomCols - 1) / roomCols, (height + roomRows - 1) / roomRows, 1)
            if factor < best.factor { best = (perRow, factor) }
        }
        return best
    }

    /// The laid-out grid for an area of at most `rows` × `cols` values (gaps hold `Heatmap.gap`).
    public func heatmap(rows capacityRows: Int, cols capacityCols: Int) -> HeatmapGrid {
        let (perRow, factor) = layout(capacityRows: capacityRows, capacityCols: capacityCols)
        guard factor != Int.max else { return .empty }
        let mapRows = (height + factor - 1) / factor, mapCols = (width + factor - 1) / factor
        let gridRows = (channels + perRow - 1) / perRow
        let rows = gridRows * (mapRows + 1) - 1, cols = perRow * (mapCols + 1) - 1
        var grid = [Float](repeating: Heatmap.gap, count: rows * cols)
        var scale: Float = 0
        for channel in 0 ..< channels {
            let top = channel / perRow * (mapRows + 1), left = channel % perRow * (mapCols + 1)
            for y in 0 ..< height {
                for x in 0 ..< width {
                    let v = values[(channel * height + y) * width + x]
                    let at = (top + y / factor) * cols + left + x / factor
                    grid[at] = Heatmap.isGap(grid[at]) ? v : HeatmapDownsampler.dominant(grid[at], v)
                    if v.isFinite { scale = max(scale, abs(v)) }
                }
            }
        }
        let reduction = factor == 1 ? "1:1" : "max|x| \(factor)×\(factor)"
        let sampleText = samples > 1 ? ", sample \(sample)/\(samples)" : ""
        let cell = cursor.map { cursor in
            GridPoint(row: cursor.channel / perRow * (mapRows + 1) + cursor.element.row / factor,
                      col: cursor.channel % perRow * (mapCols + 1) + cursor.element.col / factor)
        }
        return HeatmapGrid(values: grid, rows: rows, cols: cols, scale: scale,
                           methodLabel: "\(channels) maps \(height)×\(width)\(sampleText), \(reduction)",
                           cursor: cell, blockRows: factor, blockCols: factor, origin: GridPoint(row: 0, col: 0),
                           matrixRows: rows, matrixCols: cols)
    }
}
