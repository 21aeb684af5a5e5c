/// What the caller should do after a command (htop's handler flags): redraw, quit, reload the theme, …
public struct Reaction: OptionSet, Sendable {
    /// The flags as bits.
    public let rawValue: Int

    /// Creates a reaction from its bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The screen changed: draw a new frame.
    public static let redraw = Reaction(rawValue: 1 << 0)
    /// Leave the event loop and restore the terminal.
    public static let quit = Reaction(rawValue: 1 << 1)
    /// `themeName` changed: load that theme before drawing.
    public static let changedTheme = Reaction(rawValue: 1 << 2)
    /// The last command failed (status holds the error); a renderer may flash or beep.
    public static let error = Reaction(rawValue: 1 << 3)
    /// The model's numbers changed (forward, step, edit): cached drawings of tensors are stale.
    public static let changedModel = Reaction(rawValue: 1 << 4)
}
