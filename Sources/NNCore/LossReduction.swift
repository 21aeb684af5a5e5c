/// How a loss combines per-element losses (PyTorch's `reduction=`).
public enum LossReduction: Sendable {
    /// The average (the default).
    case mean
    /// The total.
    case sum
    /// No reduction: one loss per element or sample.
    case none
}
