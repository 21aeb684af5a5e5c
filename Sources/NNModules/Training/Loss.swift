import NNCore

/// A loss that turns a network's output (and possibly a target) into the scalar that backward starts from.
public enum Loss: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The sum of all output elements (the book's `net(X).sum().backward()`); no target.
    case sum
    /// The mean of all output elements; no target.
    case mean
    /// The mean squared error between output and a target of the same shape.
    case mse
    /// Cross-entropy of logits [N, C] (or [C]) against class indices [N] (or a scalar) stored as floats.
    case crossEntropy = "cross-entropy"

    /// Parses "sum", "mean", "mse" or "cross-entropy" (also "cross_entropy", "crossentropy", "ce").
    public init(parsing name: String) throws {
        let key = String(name.lowercased().map { $0 == "_" ? "-" : $0 })
        switch key {
        case "sum": self = .sum
        case "mean": self = .mean
        case "mse", "mse-loss": self = .mse
        case "cross-entropy", "crossentropy", "ce": self = .crossEntropy
        default:
            throw ModuleError(.invalidArgument,
                              "Loss: unknown loss '\(name)' (expected one of: sum, mean, mse, cross-entropy)")
        }
    }

    /// Whether the loss needs a target.
    public var needsTarget: Bool {
        self == .mse || self == .crossEntropy
    }

    /// The name `init(parsing:)` accepts.
    public var description: String { rawValue }

    /// The scalar loss of `output` against `target` (ignored by sum and mean, required by mse and
    /// cross-entropy).
    public func callAsFunction(output: Tensor, target: Tensor? = nil) throws -> Tensor {
        switch self {
        case .sum:
            return output.sum()
        case .mean:
            return output.mean()
        case .mse:
            return try NNCore.mseLoss(output, try requireTarget(target))
        case .crossEntropy:
            return try NNCore.crossEntropy(logits: output, targets: try requireTarget(target))
        }
    }

    private func requireTarget(_ target: Tensor?) throws -> Tensor {
        guard let target else {
            throw ModuleError(.invalidArgument, "Loss \(rawValue): a target is required")
        }
        return target
    }
}
