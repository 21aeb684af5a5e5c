import ArgumentParser
import Explorer
import Foundation
import ModelFiles
import TerminalUI

/// `nnview snapshot MODEL`: runs keys through the explorer without a terminal and prints the final screen as text
/// (or with ANSI colours) — for tests, docs and bug reports.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print the explorer's screen after some keys, as text.",
        discussion: """
            Keys are separated by spaces: single characters (j k l b ? /), names (Up Down Left Right PgUp PgDn Home \
            End Enter Tab Esc Space Backspace), C-r for Ctrl-R, text:abc to type abc, Click:X,Y, Resize:WxH. \
            Example: nnview snapshot tied --keys "/ text:2.weight Enter Tab b b"
            Plain text draws heatmaps as characters (sign and a magnitude ramp); --ansi draws colours (256 by \
            default, see --depth).
            """
    )

    @Argument(help: "The model to open (a built-in name, a .nn spec, a weights file or folder).")
    var model: String

    @Option(help: "Screen size as WIDTHxHEIGHT.")
    var size: String = "120x40"

    @Option(help: "The keys to press, separated by spaces.")
    var keys: String = ""

    @Flag(help: "Print with ANSI colour escape sequences.")
    var ansi = false

    @Option(help: "Colour depth: none, 8, 256 or truecolor (default: none for plain text, 256 with --ansi; NO_COLOR forces none).")
    var depth: String?

    @OptionGroup var options: ExplorerCommandOptions

    func validate() throws {
        _ = try parsedSize()
        _ = try parsedDepth()
        do {
            _ = try KeySpec.parse(keys)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func parsedSize() throws -> Size {
        let parts = size.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
              (1...1000).contains(width), (1...1000).contains(height) else {
            throw ValidationError("bad --size '\(size)': expected WIDTHxHEIGHT between 1x1 and 1000x1000, e.g. 120x40")
        }
        return Size(width: width, height: height)
    }

    func parsedDepth() throws -> ColorDepth {
        if let noColor = ProcessInfo.processInfo.environment["NO_COLOR"], !noColor.isEmpty { return .none }
        guard let depth else { return ansi ? .colors256 : .none }
        guard let parsed = ColorDepth(name: depth) else {
            throw ValidationError("bad --depth '\(depth)': expected none, 8, 256 or truecolor")
        }
        return parsed
    }

    func run() throws {
        let screen = try parsedSize()
        let colorDepth = try parsedDepth()
        let events = try KeySpec.parse(keys)
        // A snapshot is the same text on every machine: no step times in the training strip.
        let opened = try options.open(model, environment: ProcessInfo.processInfo.environment, showsStepTimes: false)
        let backend = TestBackend(width: screen.width, height: screen.height, colorDepth: colorDepth, events: events)
        let session = ExplorerSession(state: opened.state, backend: backend, theme: opened.theme, depth: colorDepth,
                                      ascii: options.ascii, loadTheme: opened.loadTheme)
        // Work started by a key (a training run) finishes before the next scripted key.
        session.readsKeysDuringWork = false
        session.run()
        print(ansi ? backend.ansiText : backend.text)
    }
}
