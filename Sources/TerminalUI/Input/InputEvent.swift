/// A mouse action at a screen cell (0-based column `x`, row `y`).
public enum MouseEvent: Hashable, Sendable {
    /// Left button pressed.
    case click(x: Int, y: Int)
    /// Wheel turned up (away from the user).
    case wheelUp(x: Int, y: Int)
    /// Wheel turned down.
    case wheelDown(x: Int, y: Int)
}

/// Everything a backend can report: keys, mouse and terminal resizes.
public enum InputEvent: Hashable, Sendable {
    /// A printable character (including space).
    case character(Character)
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Arrow left.
    case left
    /// Arrow right.
    case right
    /// Page up.
    case pageUp
    /// Page down.
    case pageDown
    /// Home.
    case home
    /// End.
    case end
    /// Enter / Return.
    case enter
    /// Tab.
    case tab
    /// Shift-Tab.
    case backTab
    /// Backspace.
    case backspace
    /// Delete.
    case delete
    /// Escape.
    case escape
    /// Ctrl plus a letter, lower-cased (`.ctrl("c")` for Ctrl-C, which raw mode delivers as a key).
    case ctrl(Character)
    /// A mouse action.
    case mouse(MouseEvent)
    /// The terminal now has this size.
    case resize(width: Int, height: Int)
}

/// Alias kept for readers who think of keys: every key is an `InputEvent`.
public typealias KeyEvent = InputEvent
