import ArgumentParser
import ModelFiles

/// `nnview diff A B`: what differs between two models or weights files, in any formats.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the tensors of two models or weights files (any formats).",
        discussion: """
        Lists names only in A, only in B, with a different shape or dtype, or tied differently, and for every \
        common tensor the largest absolute difference and the relative norm of the difference ‖a−b‖/‖a‖. A spec \
        or built-in model is compared through its state dict.
        """)

    @Argument(help: "The first model or weights file.")
    var a: String

    @Argument(help: "The second model or weights file.")
    var b: String

    func run() throws {
        let archiveA = try TensorSource.archive(a)
        let archiveB = try TensorSource.archive(b)
        print(try TensorDiff.compare(archiveA, archiveB).report(nameA: "A", nameB: "B"))
    }
}

/// Any MODEL argument as an archive of named tensors (a spec through its state dict).
enum TensorSource {
    static func archive(_ argument: String) throws -> TensorArchive {
        let loaded = try ModelLoader.loadExplainingErrors(argument)
        switch loaded.content {
        case .weights(let archive): return archive
        case .live(let spec): return TensorArchive(stateDict: spec.model.stateDict(), source: loaded.source)
        }
    }
}
