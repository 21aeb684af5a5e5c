import CNcursesw
import TerminalUI

/// Every ncurses call nnview makes, with readable names (swift-system keeps its syscalls in one file the same way).
/// Internal: only `CursesTerminal` uses it.
enum Curses {
    /// Opens /dev/tty and starts curses on it, so stdin/stdout redirection does not matter.
    /// The curses screen and the tty file it draws on.
    struct Session {
        fileprivate let screen: OpaquePointer
        fileprivate let tty: UnsafeMutablePointer<FILE>
    }

    static func start() throws -> Session {
        nnview_setlocale()
        guard let tty = fopen("/dev/tty", "r+") else {
            throw CursesError(description: "cannot open /dev/tty: no terminal to draw on")
        }
        guard let screen = newterm(nil, tty, tty) else {
            fclose(tty)
            throw CursesError(description: "ncurses cannot drive this terminal (TERM is unknown or unset)")
        }
        set_term(screen)
        raw()
        noecho()
        nonl()
        _ = nnview_keypad(1)
        curs_set(0)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        mouseinterval(0)
        mousemask(nnview_mouse_mask(), nil)
        nnview_install_restore_handlers()
        StandardErrorCapture.begin()
        return Session(screen: screen, tty: tty)
    }

    /// Ends curses and frees the screen; the terminal is back in its normal mode.
    static func stop(_ session: Session) {
        curs_set(1)
        endwin()
        StandardErrorCapture.end()
        nnview_remove_restore_handlers()
        delscreen(session.screen)
        fclose(session.tty)
    }

    static var hasColors: Bool { has_colors() }
    static var colorCount: Int { Int(nnview_colors()) }
    static var colorPairCount: Int { Int(nnview_color_pairs()) }
    static var hasRGBFlag: Bool { nnview_has_rgb_flag() != 0 }
    static var size: (width: Int, height: Int) { (Int(nnview_cols()), Int(nnview_lines())) }

    /// A colour pair for (fg, bg) curses colour numbers (-1 = default); pair 0 when none is left.
    static func pair(foreground: Int32, background: Int32) -> Int32 {
        let pair = alloc_pair(foreground, background)
        return pair < 0 ? 0 : pair
    }

    static func attributes(bold: Bool, dim: Bool, reverse: Bool, underline: Bool) -> attr_t {
        nnview_attrs(bold ? 1 : 0, dim ? 1 : 0, reverse ? 1 : 0, underline ? 1 : 0)
    }

    /// Writes one grapheme (at most 4 code points) at (x, y).
    static func put(x: Int, y: Int, scalars: [UInt32], attributes: attr_t, pair: Int32) {
        var text: [wchar_t] = scalars.prefix(4).map { wchar_t(bitPattern: $0) } + [0]
        _ = text.withUnsafeMutableBufferPointer { pointer in
            nnview_put_cell(Int32(y), Int32(x), pointer.baseAddress, attributes, pair)
        }
    }

    static func erase() { werase(nnview_stdscr()) }
    static func clearOnNextRefresh() { clearok(nnview_stdscr(), true) }
    static func refresh() {
        wnoutrefresh(nnview_stdscr())
        doupdate()
    }
    static func suspend() {
        endwin()
        StandardErrorCapture.end()
    }
    static func resume() {
        StandardErrorCapture.begin()
        refresh()
    }

    /// Raw result of one get_wch: a character, a key code, or nothing before the timeout.
    enum RawInput {
        case character(UInt32)
        case keyCode(Int32)
        case none
    }

    /// Waits up to `milliseconds` (negative: forever) for one input.
    static func read(milliseconds: Int32) -> RawInput {
        _ = nnview_set_timeout(milliseconds)
        var value: UInt32 = 0
        let result = nnview_get_wch(&value)
        if result == KEY_CODE_YES { return .keyCode(Int32(bitPattern: value)) }
        if result == OK { return .character(value) }
        return .none
    }

    /// The mouse event waiting after KEY_MOUSE.
    static func mouse() -> MouseEvent? {
        var x: Int32 = 0, y: Int32 = 0, kind: Int32 = 0
        guard nnview_get_mouse(&x, &y, &kind) == OK else { return nil }
        switch kind {
        case 1: return .click(x: Int(x), y: Int(y))
        case 2: return .wheelUp(x: Int(x), y: Int(y))
        case 3: return .wheelDown(x: Int(x), y: Int(y))
        default: return nil
        }
    }

    /// Key codes get_wch reports, by name.
    enum Key {
        static let up = KEY_UP, down = KEY_DOWN, left = KEY_LEFT, right = KEY_RIGHT
        static let pageUp = KEY_PPAGE, pageDown = KEY_NPAGE, home = KEY_HOME, end = KEY_END
        static let enter = KEY_ENTER, backspace = KEY_BACKSPACE, delete = KEY_DC, backTab = KEY_BTAB
        static let resize = KEY_RESIZE, mouse = KEY_MOUSE
    }
}
