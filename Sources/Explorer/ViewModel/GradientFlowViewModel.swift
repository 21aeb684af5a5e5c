import Foundation

/// The gradient flow after a backward pass: for every module holding parameters of its own, the norm of their
/// gradient, drawn as a bar on a log scale, with vanishing and exploding layers marked.
public struct GradientFlowViewModel: Equatable, Sendable {
    /// One parameterised module.
    public struct Layer: Equatable, Sendable {
        /// The module's path.
        public var path: String
        /// √(Σ‖grad‖²) over the module's own parameters (a tied parameter counts at its first place only).
        public var norm: Float
        /// Below `vanishingBelow`.
        public var isVanishing: Bool { norm < GradientFlowViewModel.vanishingBelow }
        /// Above `explodingAbove` (or not finite).
        public var isExploding: Bool { !norm.isFinite || norm > GradientFlowViewModel.explodingAbove }
    }

    /// A gradient norm under this is marked vanishing.
    public static let vanishingBelow: Float = 1e-7
    /// A gradient norm over this is marked exploding.
    public static let explodingAbove: Float = 1e3
    /// The bars' log scale runs from 10^lowestExponent to 10^highestExponent.
    public static let lowestExponent = -8, highestExponent = 4

    /// The layers in tree order.
    public var layers: [Layer]

    /// How much of a bar of `width` cells a norm fills on the log scale (0 for 0, the whole bar past the top).
    public static func filled(_ norm: Float, width: Int) -> Int {
        guard norm.isFinite else { return width }
        guard norm > 0 else { return 0 }
        let position = (log10(Double(norm)) - Double(lowestExponent)) / Double(highestExponent - lowestExponent)
        return max(0, min(width, Int((position * Double(width)).rounded())))
    }
}
