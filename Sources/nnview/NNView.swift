import ArgumentParser

/// The `nnview` command: a terminal explorer for neural networks, and tools that work without a terminal.
///
/// Exit codes: 0 success, 1 a problem with an input (one line on stderr naming the file and what is wrong),
/// 2 a usage error.
@main
struct NNView: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnview",
        abstract: "Explore, summarise, train and convert neural networks and their weight files.",
        discussion: """
        MODEL is a built-in name (\(BuiltinNames.list)), a .nn spec, a weights file (safetensors, PyTorch \
        checkpoint, .npy/.npz, GGUF) or a model folder.
        Exit codes: 0 success, 1 a problem with an input file, 2 a usage error.
        """,
        subcommands: [ExploreCommand.self, SnapshotCommand.self, Summary.self, Step.self, Diff.self, Convert.self, Run.self],
        defaultSubcommand: ExploreCommand.self)

    /// Parses and runs, mapping failures to the exit codes above with exactly one line on stderr.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.map { $0.configuration.commandName ?? "\($0)".lowercased() }
        // `nnview help NAME` with a NAME that is no command is a usage error, not the general help.
        if arguments.first == "help", arguments.count > 1, !names.contains(arguments[1]) {
            CommandLineOutput.fail("help: no command '\(arguments[1])' (commands: \(names.joined(separator: ", ")))",
                                   status: 2)
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // --help and --version are "errors" that exit 0 after printing to stdout.
            if exitCode(for: error) == .success { exit(withError: error) }
            let subcommand = arguments.first.flatMap { names.contains($0) ? $0 : nil }
            let help = subcommand.map { "nnview \($0) --help" } ?? "nnview --help"
            CommandLineOutput.fail(message(for: error) + " (see '\(help)')", status: 2)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            CommandLineOutput.terminate(code.rawValue)
        } catch let usage as UsageError {
            CommandLineOutput.fail(usage.message, status: 2)
        } catch where exitCode(for: error) == .success {
            // `--help` after a subcommand arrives here, from the help command's run.
            exit(withError: error)
        } catch where exitCode(for: error) == .validationFailure {
            CommandLineOutput.fail(message(for: error), status: 2)
        } catch {
            CommandLineOutput.fail(String(describing: error), status: 1)
        }
        CommandLineOutput.terminate(0)
    }
}

/// A mistake in how nnview was called that only `run()` can see (an output extension it cannot write): exit 2.
struct UsageError: Error {
    /// What is wrong and what would be right.
    let message: String

    init(_ message: String) { self.message = message }
}
