import TerminalUI

/// Where each part of the explorer's screen goes for a given terminal size: two header rows, the tree pane on the
/// left, the detail pane on the right, one status/prompt row at the bottom.
///
/// The renderer and the interactive loop both use it, so a mouse click and a drawn frame agree on the panes.
public struct ExplorerLayout: Hashable, Sendable {
    /// The smallest terminal the explorer draws in; below it a "terminal too small" notice is shown instead.
    public static let minimumSize = Size(width: 40, height: 12)
    /// Rows the header takes.
    public static let headerHeight = 2

    /// The whole screen.
    public let screen: Rect
    /// The header rows.
    public let header: Rect
    /// The tree pane, border included.
    public let treePane: Rect
    /// The detail pane, border included.
    public let detailPane: Rect
    /// The status (or prompt) row.
    public let status: Rect

    /// Whether the screen is below `minimumSize`.
    public var isTooSmall: Bool {
        screen.width < ExplorerLayout.minimumSize.width || screen.height < ExplorerLayout.minimumSize.height
    }

    /// The tree's rows inside its border.
    public var treeInner: Rect { Box.inner(of: treePane) }
    /// The detail pane inside its border.
    public var detailInner: Rect { Box.inner(of: detailPane) }

    /// Lays out a `width` × `height` screen (sizes below zero count as zero).
    public init(width: Int, height: Int) {
        let screen = Rect(x: 0, y: 0, width: max(0, width), height: max(0, height))
        self.screen = screen
        let rows = screen.splitVertically([.fixed(ExplorerLayout.headerHeight), .fill, .fixed(1)])
        header = rows[0]
        status = rows[2]
        // The tree gets 45% of the width but at least 30 columns, so names and shapes fit side by side.
        let treeWidth = min(rows[1].width, max(30, rows[1].width * 45 / 100))
        let columns = rows[1].splitHorizontally([.fixed(treeWidth), .fill])
        treePane = columns[0]
        detailPane = columns[1]
    }
}
