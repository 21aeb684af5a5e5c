/// A grid of cells that widgets draw into. Plain data: comparing two buffers gives the cells a backend must write.
public struct Buffer: Hashable, Sendable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// Cells row by row (`y * width + x`).
    public private(set) var cells: [Cell]

    /// A buffer of blank cells.
    public init(width: Int, height: Int, fill: Cell = .blank()) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y), or nil outside the buffer.
    public subscript(x: Int, y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return cells[y * width + x]
    }

    /// Writes one cell, keeping wide graphemes whole: overwriting either half of a wide grapheme blanks the
    /// other half. Cells outside the buffer are ignored.
    public mutating func setCell(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, x > 0 {
            cells[index - 1] = Cell.blank(cells[index - 1].style)
        }
        if !old.isContinuation, x + 1 < width, cells[index + 1].isContinuation {
            cells[index + 1] = Cell.blank(cells[index + 1].style)
        }
        cells[index] = cell
    }

    /// Writes `string` on row `y` of `rect`, clipped to the rect, and moves `y` to the next row; once `y` is past
    /// the rect's last row it writes nothing. For panes drawn top-down, a line at a time.
    public mutating func writeLine(_ string: String, style: Style, in rect: Rect, at y: inout Int) {
        guard y < rect.maxY else { return }
        set(x: rect.x, y: y, string: string, style: style, clip: rect.row(y - rect.y))
        y += 1
    }

    /// Writes `string` starting at (x, y) on one row, clipped to `clip` (default: the whole buffer). A wide
    /// grapheme that would straddle the clip's right edge is replaced by a space. Returns the column after the
    /// last written cell.
    @discardableResult
    public mutating func set(x: Int, y: Int, string: String, style: Style, clip: Rect? = nil) -> Int {
        let bounds = (clip ?? area).intersection(area)
        guard y >= bounds.y, y < bounds.maxY else { return x }
        var column = x
        for character in string {
            if column >= bounds.maxX { break }
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if column < bounds.x {
                column += width
                continue
            }
            if width == 2 {
                if column + 1 >= bounds.maxX {
                    setCell(x: column, y: y, Cell(" ", style: style))
                    column += 1
                    break
                }
                setCell(x: column, y: y, Cell(String(character), style: style))
                setCell(x: column + 1, y: y, Cell("", style: style, isContinuation: true))
                // Writing the continuation blanks its left neighbour when the old cell there was itself a
                // continuation, which is the head just written: write the head again.
                cells[y * self.width + column] = Cell(String(character), style: style)
                column += 2
            } else {
                setCell(x: column, y: y, Cell(String(character), style: style))
                column += 1
            }
        }
        return column
    }

    /// Fills `rect` (clipped to the buffer) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank()) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { setCell(x: x, y: y, cell) }
        }
    }

    /// Changes only the style of the cells in `rect`, keeping their symbols (e.g. a selection highlight).
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].style = style }
        }
    }

    /// The cells that differ from `previous`, in row order, as a backend must write them. Continuation cells are
    /// left out (drawing their wide head covers them). A buffer of another size differs everywhere.
    public func diff(from previous: Buffer) -> [(x: Int, y: Int, cell: Cell)] {
        var changes: [(x: Int, y: Int, cell: Cell)] = []
        let sameSize = previous.width == width && previous.height == height
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                let cell = cells[index]
                if cell.isContinuation { continue }
                if sameSize && previous.cells[index] == cell {
                    // A wide head that lost its continuation to an unchanged neighbour still needs a redraw.
                    if x + 1 < width, cells[index + 1].isContinuation != previous.cells[index + 1].isContinuation {
                        changes.append((x, y, cell))
                    }
                    continue
                }
                changes.append((x, y, cell))
            }
        }
        return changes
    }

    /// The text of each row (continuation cells skipped, trailing spaces trimmed), as snapshot tests compare it.
    public var textLines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !cell.isContinuation { line += cell.symbol }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// All rows joined with newlines.
    public var text: String { textLines.joined(separator: "\n") }

    /// The rows with ANSI SGR escape sequences for colours (downgraded to `depth`) and attributes, each row ending
    /// with a reset. Printing it shows what the terminal would.
    public func ansiText(depth: ColorDepth) -> String {
        var out = ""
        for y in 0..<height {
            var current: Style? = nil
            for x in 0..<width {
                let cell = cells[y * width + x]
                if cell.isContinuation { continue }
                let style = cell.style.downgraded(to: depth)
                if style != current {
                    out += ANSI.sgr(style)
                    current = style
                }
                out += cell.symbol
            }
            out += "\u{1B}[0m"
            if y + 1 < height { out += "\n" }
        }
        return out
    }
}

/// ANSI escape sequences for styles.
enum ANSI {
    /// A full SGR sequence (starting with a reset) for `style`.
    static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.attrs.contains(.bold) { codes.append("1") }
        if style.attrs.contains(.dim) { codes.append("2") }
        if style.attrs.contains(.underline) { codes.append("4") }
        if style.attrs.contains(.reverse) { codes.append("7") }
        if let fg = colorCode(style.fg, foreground: true) { codes.append(fg) }
        if let bg = colorCode(style.bg, foreground: false) { codes.append(bg) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    static func colorCode(_ color: Color, foreground: Bool) -> String? {
        switch color {
        case .default:
            return nil
        case .ansi(let n):
            let base = foreground ? 30 : 40
            return n < 8 ? "\(base + Int(n))" : "\(base + 60 + Int(n & 7))"
        case .indexed(let n):
            return (foreground ? "38;5;" : "48;5;") + "\(n)"
        case .rgb(let r, let g, let b):
            return (foreground ? "38;2;" : "48;2;") + "\(r);\(g);\(b)"
        }
    }
}
