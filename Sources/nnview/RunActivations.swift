import ArgumentParser
import NNCore
import NNModules

/// `nnview run --activations`: capture every module's output, its gradient (with a loss) and the attention maps
/// of the run, and write them to --out as `act/MODULE`, `actgrad/MODULE` and `attn/MODULE`.
struct RunActivations {
    /// The capture `--activations` asks for, or nil without the flag.
    static func capture(enabled: Bool, budget: String?) throws -> ActivationCapture? {
        guard enabled else { return nil }
        return try ActivationCapture(budgetBytes: try budget.map(parseBudget) ?? ActivationCapture.defaultBudgetBytes)
    }

    /// Bytes from `--activation-budget`: a whole number with an optional unit K, M or G (powers of 1024, with
    /// or without a trailing B or iB): `4096`, `512K`, `64MB`, `1GiB`.
    static func parseBudget(_ text: String) throws -> Int {
        let upper = text.uppercased()
        let digits = upper.prefix { $0.isASCII && $0.isNumber }
        let units: [String: Int] = ["": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20,
                                    "MB": 1 << 20, "MIB": 1 << 20, "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30]
        guard !digits.isEmpty, let value = Int(digits), let unit = units[String(upper.dropFirst(digits.count))],
              value <= Int.max / unit else {
            throw ValidationError("--activation-budget takes a size such as 4096, 512K or 64M, not '\(text)'")
        }
        return value * unit
    }

    /// The captured tensors under their --out names (copies are made by the writer's caller).
    static func entries(_ capture: ActivationCapture?) -> [(String, Tensor)] {
        capture?.namedTensors().map { ($0.name, $0.tensor) } ?? []
    }

    /// What to say on standard error when the budget stopped the capture.
    static func warning(_ capture: ActivationCapture?) -> String? {
        guard let capture, let refusal = capture.refusal else { return nil }
        return "nnview: warning: activations: \(refusal.message) (--activation-budget); "
            + "\(capture.refusedCount) outputs and maps not written"
    }
}
