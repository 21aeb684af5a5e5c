/// A series drawn as a line in a rectangle of cells: in braille, each cell holds 2 × 4 dots (so a 40 × 6 chart
/// has 80 × 24 points); in ASCII, one `*` per cell. The smallest value is on the bottom row, the largest on the
/// top row; a series longer than the dot columns shows each column's lowest and highest value, and neighbouring
/// columns are joined by a vertical run so the line reads unbroken. Non-finite values leave a gap.
public struct LineChart {
    /// The series, first on the left.
    public var values: [Float]
    /// The line's style.
    public var style: Style
    /// ASCII-only output (`*` per cell).
    public var ascii: Bool

    /// A chart of `values`.
    public init(values: [Float], style: Style, ascii: Bool = false) {
        self.values = values
        self.style = style
        self.ascii = ascii
    }

    /// The finite values' lowest and highest, or nil when none is finite.
    public static func range(of values: [Float]) -> (low: Float, high: Float)? {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return (low, high)
    }

    /// Which dots are set in a grid of `columns` × `rows` dots: `dots[row][column]`, row 0 on top.
    public static func dots(values: [Float], columns: Int, rows: Int) -> [[Bool]] {
        var grid = [[Bool]](repeating: [Bool](repeating: false, count: max(0, columns)), count: max(0, rows))
        guard columns > 0, rows > 0, !values.isEmpty, let (low, high) = range(of: values) else { return grid }
        func dotRow(_ value: Float) -> Int {
            guard high > low else { return rows / 2 }
            let position = Double((high - value) / (high - low)) * Double(rows - 1)
            return max(0, min(rows - 1, Int(position.rounded())))
        }
        // Each dot column's value range: the values falling in it, or (a series shorter than the columns) the
        // series interpolated at the column's position.
        var spans: [(low: Int, high: Int)?] = []
        for column in 0 ..< columns {
            var shown: [Float] = []
            if values.count > columns {
                let start = column * values.count / columns
                let end = max(start + 1, (column + 1) * values.count / columns)
                shown = Array(values[start ..< min(end, values.count)])
            } else if values.count == 1 {
                shown = [values[0]]
            } else {
                let t = Double(column) * Double(values.count - 1) / Double(max(1, columns - 1))
                let below = Int(t.rounded(.down)), above = min(values.count - 1, below + 1)
                let fraction = Float(t - Double(below))
                let a = values[below], b = values[above]
                shown = [a.isFinite && b.isFinite ? a + (b - a) * fraction : (fraction < 0.5 ? a : b)]
            }
            let finite = shown.filter(\.isFinite)
            guard let lo = finite.min(), let hi = finite.max() else {
                spans.append(nil)
                continue
            }
            spans.append((dotRow(hi), dotRow(lo)))
        }
        var previous: (low: Int, high: Int)?
        for (column, span) in spans.enumerated() {
            guard var span else {
                previous = nil
                continue
            }
            // Join to the previous column: extend this run to reach the previous column's nearest dot.
            if let previous {
                if previous.high < span.low { span.low = previous.high + 1 }
                if previous.low > span.high { span.high = previous.low - 1 }
                if span.low > span.high { swap(&span.low, &span.high) }
            }
            for row in span.low ... span.high { grid[row][column] = true }
            previous = (min(span.low, span.high), max(span.low, span.high))
        }
        return grid
    }

    /// The braille bit of the dot at (`dx`, `dy`) of a cell (2 columns, 4 rows).
    static func brailleBit(dx: Int, dy: Int) -> UInt32 {
        let left: [UInt32] = [0x01, 0x02, 0x04, 0x40], right: [UInt32] = [0x08, 0x10, 0x20, 0x80]
        return dx == 0 ? left[dy] : right[dy]
    }

    /// Draws the line into `rect` (cells without a dot are left as they are).
    public func render(in rect: Rect, buffer: inout Buffer) {
        guard rect.width > 0, rect.height > 0 else { return }
        let perCell = ascii ? (x: 1, y: 1) : (x: 2, y: 4)
        let grid = Self.dots(values: values, columns: rect.width * perCell.x, rows: rect.height * perCell.y)
        for cellY in 0 ..< rect.height {
            for cellX in 0 ..< rect.width {
                var bits: UInt32 = 0
                for dy in 0 ..< perCell.y {
                    for dx in 0 ..< perCell.x where grid[cellY * perCell.y + dy][cellX * perCell.x + dx] {
                        bits |= ascii ? 1 : Self.brailleBit(dx: dx, dy: dy)
                    }
                }
                guard bits != 0 else { continue }
                let glyph = ascii ? "*" : String(Character(Unicode.Scalar(0x2800 + bits)!))
                buffer.setCell(x: rect.x + cellX, y: rect.y + cellY, Cell(glyph, style: style))
            }
        }
    }
}
