/// The loss a .nn file asks for with `loss = …`.
public enum SpecLoss: String, CaseIterable, Sendable {
    /// The sum of the output's elements (what the book's `net(X).sum().backward()` does).
    case sum
    /// The mean of the output's elements.
    case mean
    /// Mean squared error against `target`.
    case mse
    /// Cross-entropy of logits against class indices in `target`.
    case crossEntropy = "cross-entropy"

    /// Parses a loss name; `cross_entropy` and `crossentropy` are accepted for `cross-entropy`, case is ignored.
    public init?(name: String) {
        switch name.lowercased() {
        case "sum": self = .sum
        case "mean": self = .mean
        case "mse", "mse_loss": self = .mse
        case "cross-entropy", "cross_entropy", "crossentropy": self = .crossEntropy
        default: return nil
        }
    }

    /// Whether the loss compares the output with a `target`.
    public var needsTarget: Bool { self == .mse || self == .crossEntropy }
}
