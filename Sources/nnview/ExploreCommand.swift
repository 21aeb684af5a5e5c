import ArgumentParser
import CursesBackend
import Explorer
import Foundation
import ModelFiles
import TerminalUI

/// `nnview [MODEL]`: the interactive explorer (the default subcommand). When stdout is not a terminal it prints a
/// text summary of the model and a hint instead of taking over the screen.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Explore a model in the terminal (the default command).",
        discussion: "MODEL is a built-in name (\(BuiltinModels.names.joined(separator: ", "))), a .nn spec, a weights "
            + "file (safetensors, PyTorch .pt/.pth/.bin, .npz, .gguf), an ONNX file or a model folder. Press ? inside for the keys."
    )

    @Argument(help: "The model to open (tied is the book's tied network).")
    var model: String = "tied"

    @OptionGroup var options: ExplorerCommandOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let opened = try options.open(model, environment: environment)
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            print(ExplorerTextSummary.text(of: opened.state), terminator: "")
            // The hint is for the person, not for the file the summary is redirected into.
            CommandLineOutput.printError("stdout is not a terminal: run `nnview \(model)` in a terminal to explore "
                                         + "it, or `nnview snapshot \(model)` for the screen as text.")
            return
        }
        try CursesTerminal.withTerminal(environment: environment) { terminal in
            let session = ExplorerSession(state: opened.state, backend: terminal, theme: opened.theme,
                                          ascii: options.ascii, loadTheme: opened.loadTheme)
            // A blocking read only comes back empty when the terminal is gone; a few in a row end the loop.
            session.run(idleLimit: 100)
        }
    }
}

/// The options `explore` and `snapshot` share: weights binding, theme and ASCII mode.
struct ExplorerCommandOptions: ParsableArguments {
    @Option(help: "A weights file to bind to a .nn spec or built-in model, by state-dict name.")
    var weights: String?

    @Flag(help: "With --weights: skip names that don't match instead of failing.")
    var nonStrict = false

    @Option(help: "An ONNX model's input: a safetensors file with tensors named as the graph's inputs (default: a seeded random input from the declared shapes).")
    var input: String?

    @Option(help: "Colour theme: a built-in name (default-dark, light, solarized, high-contrast, monochrome), a theme of yours in $XDG_CONFIG_HOME/nnview/themes (~/.config/nnview/themes), or a .toml path.")
    var theme: String?

    @Flag(help: "Draw with ASCII characters only (for terminals without UTF-8).")
    var ascii = false

    /// The opened model as an explorer state, the starting theme and how to load the others.
    struct Opened {
        var state: ExplorerState
        var theme: Theme
        var loadTheme: (String) -> Theme?
    }

    /// `showsStepTimes`: whether the training strip shows times (not in `nnview snapshot`'s machine-independent
    /// frames).
    func open(_ model: String, environment: [String: String], showsStepTimes: Bool = true) throws -> Opened {
        let searchPaths = Theme.defaultSearchPaths(environment: environment)
        let startTheme = try theme.map { try Theme.load(nameOrPath: $0, searchPaths: searchPaths) } ?? .builtInDefault
        var names = Theme.availableNames(searchPaths: searchPaths)
        let startName = theme ?? Theme.builtInDefault.name
        if !names.contains(startName) { names.insert(startName, at: 0) }
        let loaded = try ModelLoader.load(model, weights: weights, strict: !nonStrict)
        var explorerOptions = ExplorerOptions(themeName: startName, themeNames: names, ascii: ascii)
        explorerOptions.showsStepTimes = showsStepTimes
        // A transformers folder, sentence-transformers folder, llama GGUF or ONNX file runs live; other files are
        // browsed.
        var session: (any LiveSession)?
        var browseReason: String?
        if input != nil, loaded.archive?.onnx == nil {
            throw ValidationError("--input is an ONNX model's input: \(model) is not an ONNX file")
        }
        if let archive = loaded.archive {
            switch LiveModelOpener.open(path: model, archive: archive, inputFile: input) {
            case .live(let opened): session = opened
            case .browse(let reason):
                // An input file that cannot be read is the person's mistake, not a reason to browse.
                if let input, let reason { throw ValidationError("--input \(input): \(reason)") }
                browseReason = reason
            }
        }
        let state = try ExplorerState(model: loaded, options: explorerOptions, session: session, browseReason: browseReason)
        return Opened(state: state, theme: startTheme,
                      loadTheme: { try? Theme.load(nameOrPath: $0, searchPaths: searchPaths) })
    }
}
