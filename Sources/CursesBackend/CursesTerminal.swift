import TerminalUI

/// The real terminal through ncursesw: draws only changed cells, reads keys and mouse, handles resizes, and gives
/// the terminal back on every way out (normal end, thrown error, SIGINT/SIGTERM/SIGHUP, crash signals, exit()).
///
/// Use it through `CursesTerminal.withTerminal { backend in ... }`.
public final class CursesTerminal: Backend {
    /// The current screen size (updated on resize).
    public private(set) var size: Size
    /// The depth frames are shown at: the environment's wish capped by what the terminal supports.
    public let colorDepth: ColorDepth

    private let session: Curses.Session
    private var previous: Buffer?
    private var pairCache: [PairKey: Int32] = [:]
    private var isStopped = false

    private struct PairKey: Hashable {
        let foreground: Int32
        let background: Int32
    }

    /// Takes over the terminal. Prefer `withTerminal`, which always calls `shutdown()`.
    /// - Parameter environment: decides the colour depth (NO_COLOR, COLORTERM, TERM).
    public init(environment: [String: String]) throws {
        session = try Curses.start()
        let wanted = ColorDepth.fromEnvironment(environment)
        colorDepth = min(wanted, CursesTerminal.supportedDepth())
        let current = Curses.size
        size = Size(width: current.width, height: current.height)
    }

    /// Runs `body` with the terminal in curses mode and restores it afterwards, also when `body` throws.
    public static func withTerminal<T>(environment: [String: String],
                                       _ body: (CursesTerminal) throws -> T) throws -> T {
        let terminal = try CursesTerminal(environment: environment)
        defer { terminal.shutdown() }
        return try body(terminal)
    }

    /// What the terminal itself can show: truecolor when terminfo has the RGB flag and 2^24 colours.
    static func supportedDepth() -> ColorDepth {
        guard Curses.hasColors else { return .none }
        let colors = Curses.colorCount
        if Curses.hasRGBFlag && colors >= 1 << 24 { return .trueColor }
        if colors >= 256 { return .colors256 }
        if colors >= 8 { return .colors8 }
        return .none
    }

    /// Gives the terminal back for good. Safe to call twice.
    public func shutdown() {
        guard !isStopped else { return }
        isStopped = true
        Curses.stop(session)
    }

    deinit { shutdown() }

    /// Writes the cells that differ from the previous frame (all of them after a resize or restore), then one refresh.
    public func draw(_ buffer: Buffer) {
        let changes: [(x: Int, y: Int, cell: Cell)]
        if let previous {
            changes = buffer.diff(from: previous)
        } else {
            Curses.erase()
            Curses.clearOnNextRefresh()
            changes = buffer.diff(from: Buffer(width: 0, height: 0))
        }
        for change in changes {
            let style = change.cell.style.downgraded(to: colorDepth)
            let attributes = Curses.attributes(bold: style.attrs.contains(.bold), dim: style.attrs.contains(.dim),
                                               reverse: style.attrs.contains(.reverse),
                                               underline: style.attrs.contains(.underline))
            let pair = colorDepth == .none ? 0 : colorPair(style)
            let scalars = change.cell.symbol.unicodeScalars.map(\.value)
            Curses.put(x: change.x, y: change.y, scalars: scalars.isEmpty ? [32] : scalars, attributes: attributes,
                       pair: pair)
        }
        Curses.refresh()
        previous = buffer
    }

    private func colorPair(_ style: Style) -> Int32 {
        let key = PairKey(foreground: cursesColor(style.fg), background: cursesColor(style.bg))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairCache[key] { return pair }
        // alloc_pair recycles the oldest pairs when it runs out; forget ours then so they are asked for again.
        if pairCache.count >= Curses.colorPairCount - 1 { pairCache.removeAll() }
        let pair = Curses.pair(foreground: key.foreground, background: key.background)
        pairCache[key] = pair
        return pair
    }

    /// The curses colour number of an already downgraded colour: -1 for default, the palette index, or in direct
    /// colour mode the packed RGB value (numbers below 8 there mean the ANSI colours).
    private func cursesColor(_ color: Color) -> Int32 {
        switch color {
        case .default:
            return -1
        case .ansi(let n) where colorDepth != .trueColor || n < 8:
            return Int32(n)
        case .indexed(let n) where colorDepth != .trueColor:
            return Int32(n)
        default:
            guard let c = color.rgbComponents else { return -1 }
            let packed = Int32(c.r) << 16 | Int32(c.g) << 8 | Int32(c.b)
            return max(8, packed)
        }
    }

    /// The next key, mouse or resize event; nil when `timeout` passes first.
    public func readEvent(timeout: Duration?) -> InputEvent? {
        let milliseconds: Int32
        if let timeout {
            let ms = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            milliseconds = Int32(clamping: max(0, ms))
        } else {
            milliseconds = -1
        }
        while true {
            switch Curses.read(milliseconds: milliseconds) {
            case .none:
                return nil
            case .character(27):
                // An ESC alone is Escape; one that starts a sequence curses did not decode is read to its end.
                if let event = readEscapeSequence() { return event }
                if escapeWasAlone { return .escape }
            case .character(let value):
                if let event = KeyDecoding.event(forCharacter: value) { return event }
            case .keyCode(let code):
                if code == Curses.Key.resize {
                    let current = Curses.size
                    size = Size(width: current.width, height: current.height)
                    previous = nil
                    return .resize(width: current.width, height: current.height)
                }
                if code == Curses.Key.mouse {
                    if let mouse = Curses.mouse() { return .mouse(mouse) }
                    continue
                }
                if let event = KeyDecoding.event(forKeyCode: code) { return event }
            }
        }
    }

    /// Whether the last ESC read had nothing after it (the Escape key itself).
    private var escapeWasAlone = false

    /// Reads the characters after an ESC (each within the escape delay) and decodes them; nil for Escape alone
    /// (see `escapeWasAlone`) or for a sequence nnview ignores.
    private func readEscapeSequence() -> InputEvent? {
        var rest: [UInt32] = []
        escapeWasAlone = false
        while true {
            switch Curses.read(milliseconds: EscapeSequence.followingCharacterDelay) {
            case .none:
                escapeWasAlone = rest.isEmpty
                return nil
            case .keyCode(let code):
                // A key curses decoded after an ESC (Alt plus an arrow): the key itself.
                return rest.isEmpty ? KeyDecoding.event(forKeyCode: code) : nil
            case .character(let value):
                rest.append(value)
                if case .complete(let event) = EscapeSequence.decode(rest) { return event }
            }
        }
    }

    /// Leaves curses mode temporarily (the screen shows the shell again).
    public func suspend() { Curses.suspend() }

    /// Re-enters curses mode; the next `draw` repaints everything.
    public func restore() {
        Curses.resume()
        previous = nil
    }
}
