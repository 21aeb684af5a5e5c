/// A terminal size in cells.
public struct Size: Hashable, Sendable {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// Where frames go and events come from: the curses terminal, or a `TestBackend` in tests and snapshots.
///
/// The render loop is: build a `Buffer(width: size.width, height: size.height)`, let widgets draw into it, call
/// `draw(_:)`, then `readEvent(timeout:)`.
public protocol Backend: AnyObject {
    /// The current size of the screen.
    var size: Size { get }
    /// The colour depth frames are shown at.
    var colorDepth: ColorDepth { get }
    /// Shows `buffer`, writing only the cells that changed since the previous frame.
    func draw(_ buffer: Buffer)
    /// The next input event, waiting at most `timeout` (nil waits forever); nil when nothing came in time
    /// (or, for a test backend, when the script is used up).
    func readEvent(timeout: Duration?) -> InputEvent?
    /// Gives the terminal back temporarily (e.g. before running a shell); `restore()` takes it again and redraws.
    func suspend()
    /// Takes the terminal back after `suspend()` and forces a full redraw on the next `draw(_:)`.
    func restore()
}
