import ArgumentParser

/// The `nnview` command: the explorer by default, plus subcommands that work without a terminal.
@main
struct NNView: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnview",
        abstract: "A terminal explorer for neural networks: browse, run, edit and save a model.",
        subcommands: [ExploreCommand.self, SnapshotCommand.self],
        defaultSubcommand: ExploreCommand.self
    )
}
