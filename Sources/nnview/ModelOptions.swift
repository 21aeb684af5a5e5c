import ArgumentParser
import ModelFiles

/// The MODEL argument and the options that bind weights to it, shared by the commands that open a model.
struct ModelOptions: ParsableArguments {
    @Argument(help: "A built-in name, a .nn spec, a weights file or a model folder.")
    var model: String

    @Option(help: "A weights file (any format) bound to the spec by state-dict name.")
    var weights: String?

    @Flag(help: "Allow --weights to cover only part of the model (and to hold extra names).")
    var nonStrict = false

    /// Opens the model as `ModelLoader` does.
    func load() throws -> LoadedModel {
        try ModelLoader.loadExplainingErrors(model, weights: weights, strict: !nonStrict)
    }
}
