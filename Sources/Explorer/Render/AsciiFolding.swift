import TerminalUI

/// `--ascii`: after a frame is drawn, every cell that still holds a non-ASCII character (a type summary's `→`, a
/// block label's `×`, a name from a file) gets an ASCII stand-in, so the frame is ASCII whatever the model holds.
enum AsciiFolding {
    static let replacements: [String: String] = [
        "→": ">", "←": "<", "↑": "^", "↓": "v", "×": "x", "·": "|", "…": ".", "‖": "|", "∇": "g", "✎": "*",
        "◆": "*", "●": "*", "▸": ">", "▾": "v", "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "≥": ">", "≤": "<", "Σ": "S", "−": "-",
    ]

    static func fold(_ buffer: inout Buffer) {
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                guard let cell = buffer[x, y], !cell.isContinuation,
                      !cell.symbol.unicodeScalars.allSatisfy(\.isASCII) else { continue }
                let wide = DisplayWidth.of(cell.symbol) == 2
                let stand = replacements[cell.symbol] ?? "?"
                buffer.setCell(x: x, y: y, Cell(stand, style: cell.style))
                if wide { buffer.setCell(x: x + 1, y: y, Cell(" ", style: cell.style)) }
            }
        }
    }
}
