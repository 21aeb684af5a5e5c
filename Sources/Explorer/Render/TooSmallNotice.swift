import TerminalUI

/// What a terminal below `ExplorerLayout.minimumSize` shows instead of the explorer: a notice with the size it
/// needs, clipped to whatever room there is (down to 1×1).
struct TooSmallNotice {
    var width: Int
    var height: Int
    var theme: Theme

    func render(in rect: Rect, buffer: inout Buffer) {
        buffer.fill(rect, with: .blank(theme.background))
        guard !rect.isEmpty else { return }
        let need = ExplorerLayout.minimumSize
        let lines = ["terminal too small", "need \(need.width)x\(need.height), have \(width)x\(height)",
                     "enlarge it, or q to quit"]
        let top = rect.y + max(0, (rect.height - lines.count) / 2)
        for (i, text) in lines.enumerated() where top + i < rect.maxY {
            let x = rect.x + max(0, (rect.width - text.count) / 2)
            let style = i == 0 ? theme.error : theme.text
            buffer.set(x: x, y: top + i, string: text, style: style, clip: rect.row(top + i - rect.y))
        }
    }
}
