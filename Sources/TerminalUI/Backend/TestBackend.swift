/// A backend without a terminal: keeps the last frame as data, plays scripted events. Used by tests and by
/// `nnview snapshot`.
public final class TestBackend: Backend {
    /// The current size; `resize(width:height:)` changes it.
    public private(set) var size: Size
    /// The depth snapshots are rendered at.
    public let colorDepth: ColorDepth
    /// The last frame drawn (blank before the first).
    public private(set) var lastBuffer: Buffer
    /// Number of frames drawn.
    public private(set) var frameCount = 0
    /// Cells written by the last `draw(_:)` (what a real terminal would have been sent).
    public private(set) var lastChangedCellCount = 0
    /// Events still to be returned by `readEvent`, first first.
    public private(set) var pendingEvents: [InputEvent]
    /// Whether the backend is suspended.
    public private(set) var isSuspended = false

    /// Creates a backend of the given size, depth and scripted events.
    public init(width: Int, height: Int, colorDepth: ColorDepth = .trueColor, events: [InputEvent] = []) {
        size = Size(width: width, height: height)
        self.colorDepth = colorDepth
        lastBuffer = Buffer(width: width, height: height)
        pendingEvents = events
    }

    /// Records `buffer` as the screen, counting the cells that changed.
    public func draw(_ buffer: Buffer) {
        lastChangedCellCount = frameCount == 0 ? buffer.width * buffer.height : buffer.diff(from: lastBuffer).count
        lastBuffer = buffer
        frameCount += 1
    }

    /// Pops the next scripted event (the timeout is ignored); nil when the script is used up.
    public func readEvent(timeout: Duration?) -> InputEvent? {
        guard !pendingEvents.isEmpty else { return nil }
        let event = pendingEvents.removeFirst()
        if case .resize(let w, let h) = event { size = Size(width: w, height: h) }
        return event
    }

    /// Appends events to the script.
    public func enqueue(_ events: [InputEvent]) { pendingEvents += events }

    /// Changes the size at once and queues the `.resize` event a terminal would send.
    public func resize(width: Int, height: Int) {
        size = Size(width: width, height: height)
        pendingEvents.insert(.resize(width: width, height: height), at: 0)
    }

    /// Marks the backend suspended.
    public func suspend() { isSuspended = true }

    /// Marks the backend active again.
    public func restore() { isSuspended = false }

    /// The last frame as plain text (rows joined by newlines, trailing spaces trimmed).
    public var text: String { lastBuffer.text }

    /// The last frame with ANSI colours at this backend's depth.
    public var ansiText: String { lastBuffer.ansiText(depth: colorDepth) }
}
