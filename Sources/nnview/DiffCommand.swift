import ArgumentParser
import ModelFiles

/// `nnview diff A B`: what differs between two models or weights files, in any formats.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the tensors of two models or weights files (any formats).",
        discussion: """
        Lists names only in A, only in B, with a different shape or dtype, or tied differently, and for every \
        common tensor the largest absolute difference and the relative norm of the difference ‖a−b‖/‖a‖. A spec \
        or built-in model is compared through its state dict. Exits 0 when the two match (same names, shapes, \
        dtypes and ties, every value within the tolerances: |a−b| ≤ atol + rtol·|b|), 1 when they differ or an \
        input cannot be read (like cmp), 2 for a usage error.
        """)

    @Argument(help: "The first model or weights file.")
    var a: String

    @Argument(help: "The second model or weights file.")
    var b: String

    @Option(help: "Relative tolerance for values (default 0: values must be equal).")
    var rtol: Double = 0

    @Option(help: "Absolute tolerance for values (default 0).")
    var atol: Double = 0

    func validate() throws {
        guard rtol >= 0, atol >= 0, rtol.isFinite, atol.isFinite else {
            throw ValidationError("--rtol and --atol must be finite and at least 0")
        }
    }

    func run() throws {
        let archiveA = try TensorSource.archive(a)
        let archiveB = try TensorSource.archive(b)
        let diff = try TensorDiff.compare(archiveA, archiveB, relativeTolerance: rtol, absoluteTolerance: atol)
        print(diff.report(nameA: "A", nameB: "B"))
        if !diff.matchesWithinTolerance {
            let outside = diff.compared.reduce(0) { $0 + $1.elementsOutsideTolerance }
            if rtol > 0 || atol > 0 {
                print("differ: \(outside) value\(outside == 1 ? "" : "s") outside rtol \(rtol), atol \(atol)")
            }
            throw ExitCode(1)
        }
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
