import ArgumentParser
import ModelFiles

/// `nnview summary MODEL`: a torchinfo-style table, or JSON.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a model's modules or a weights file's tensors with shapes, counts and ties.",
        discussion: """
        For a spec (or a built-in model) the table lists every module path with its type, the output shape of \
        the spec's input, its own parameter count, which paths share it, and whether it is trainable. For a \
        weights file alone it lists the tree of dotted names with dtypes and shapes, reading only the header. \
        For an ONNX file it lists the initializers, then the graph's inputs and outputs with their (symbolic) \
        shapes, the opsets and producer, and how many nodes use each operator. \
        Totals count each shared (tied) tensor once.
        """)

    @OptionGroup var options: ModelOptions

    @Flag(help: "Print JSON: parameters (name, shape, dtype, count, shared_with), total_parameters, modules, metadata (and onnx).")
    var json = false

    func run() throws {
        let summary = try ModelSummary(options.load())
        print(json ? summary.json() : summary.table())
    }
}
