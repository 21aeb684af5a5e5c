import TerminalUI

/// The explorer's event loop over any `Backend`: draw a frame, read an event, let the state handle it (mouse
/// clicks through the last frame's layout), reload the theme when it changed, redraw — until the state quits or
/// the backend has no more events. The curses terminal and `nnview snapshot` (a `TestBackend`) run the same loop.
public final class ExplorerSession {
    /// The explorer being shown.
    public let state: ExplorerState
    /// Where frames go and events come from.
    public let backend: any Backend
    /// The current colours.
    public private(set) var theme: Theme
    /// ASCII-only frames.
    public let ascii: Bool
    /// The depth frames are drawn at (usually the backend's).
    public let depth: ColorDepth
    /// Loads a theme by name when `t` asks for another one; nil keeps the current theme.
    let loadTheme: (String) -> Theme?
    /// The layout of the last frame (for mouse clicks).
    public private(set) var lastFrame: RenderedFrame?
    /// Whether keys are read between the steps of long work (a training run), so Esc can stop it — what a
    /// terminal wants. A script (`nnview snapshot`) sets it false: its next key waits until the work is done, so
    /// the same keys always give the same frame.
    public var readsKeysDuringWork = true
    /// While work runs, frames are drawn at most this often (and once when it ends).
    static let workFrameInterval = Duration.milliseconds(50)
    private var lastWorkFrame: ContinuousClock.Instant?

    /// A session over `backend`.
    /// - Parameters:
    ///   - depth: the colour depth to draw at; nil uses the backend's.
    ///   - loadTheme: how `t` turns a theme name into a theme (errors keep the current theme).
    public init(state: ExplorerState, backend: any Backend, theme: Theme, depth: ColorDepth? = nil, ascii: Bool,
                loadTheme: @escaping (String) -> Theme?) {
        self.state = state
        self.backend = backend
        self.theme = theme
        self.depth = depth ?? backend.colorDepth
        self.ascii = ascii
        self.loadTheme = loadTheme
    }

    /// Draws the state at the backend's current size; `workingNote` replaces the bottom line (the prompt or
    /// status) while a long edit runs.
    public func draw(workingNote: String? = nil) {
        let size = backend.size
        var buffer = Buffer(width: max(0, size.width), height: max(0, size.height))
        lastFrame = ExplorerRenderer.render(state: state, into: &buffer, theme: theme, depth: depth, ascii: ascii)
        if let workingNote, size.height > 0 {
            StatusLine(text: workingNote, isError: false, rightText: "", theme: theme)
                .render(in: Rect(x: 0, y: size.height - 1, width: size.width, height: 1), buffer: &buffer)
        }
        backend.draw(buffer)
    }

    /// Handles one event and redraws if needed; returns false once the explorer wants to quit.
    @discardableResult
    public func handle(_ event: InputEvent) -> Bool {
        let reaction: Reaction
        if case .mouse(let mouse) = event, state.mode == .normal {
            guard let command = lastFrame?.command(for: mouse) else { return true }
            reaction = state.handle(command)
        } else {
            // A long edit or save first shows that it is working (the frame after it shows the result).
            if let note = state.workingNote(for: event) { draw(workingNote: note) }
            reaction = state.handle(event)
        }
        if reaction.contains(.changedTheme), let next = loadTheme(state.themeName) { theme = next }
        if reaction.contains(.quit) || state.wantsQuit { return false }
        if !reaction.isEmpty || isResize(event) { draw() }
        return true
    }

    /// Runs until quit. `idleLimit`: how many empty reads in a row end the loop (1 for a scripted backend, whose
    /// nil means "no more events"; a terminal read without timeout only comes back empty when the terminal is gone).
    public func run(idleLimit: Int = 1) {
        draw()
        var idle = 0
        while true {
            if state.hasPendingWork {
                if !advanceWork() { return }
                continue
            }
            guard let event = backend.readEvent(timeout: nil) else {
                idle += 1
                if idle >= idleLimit { return }
                continue
            }
            idle = 0
            if !handle(event) { return }
        }
    }

    /// One slice of pending work: a key that came in meanwhile (without waiting; Esc stops a training run), else
    /// the next step, then a frame when the last one is old enough or the work ended. Returns false once the
    /// explorer wants to quit.
    @discardableResult
    public func advanceWork() -> Bool {
        if readsKeysDuringWork, let event = backend.readEvent(timeout: .zero) { return handle(event) }
        state.advanceWork()
        let now = ContinuousClock.now
        if !state.hasPendingWork || lastWorkFrame.map({ now - $0 >= Self.workFrameInterval }) ?? true {
            draw()
            lastWorkFrame = now
        }
        return true
    }

    /// Runs pending work to its end without reading keys, then draws (scripts and tests between keys).
    public func finishWork() {
        guard state.hasPendingWork else { return }
        while state.hasPendingWork { state.advanceWork() }
        draw()
    }

    private func isResize(_ event: InputEvent) -> Bool {
        if case .resize = event { return true }
        return false
    }
}
