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
        /// ‖Δw‖/‖w‖ of the last SGD update over the module's own parameters (√Σ‖Δw‖² / √Σ‖w‖²); nil before an
        /// update (`s` or a training run).
        public var updateRatio: Float? = nil
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

    /// The update-to-weight ratios' log scale runs from 10^lowestRatioExponent to 10^highestRatioExponent.
    public static let lowestRatioExponent = -7, highestRatioExponent = 0
    /// The rule of thumb for a healthy update: ‖Δw‖/‖w‖ about 1e-3 (marked on the ratio bars).
    public static let referenceRatio: Float = 1e-3

    /// The layers in tree order.
    public var layers: [Layer]
    /// The learning rate of the last update, when there was one.
    public var updateLearningRate: Float? = nil

    /// Whether any layer has an update-to-weight ratio to show.
    public var hasUpdateRatios: Bool { layers.contains { $0.updateRatio != nil } }

    /// How much of a bar of `width` cells a norm fills on the log scale (0 for 0, the whole bar past the top).
    public static func filled(_ norm: Float, width: Int) -> Int {
        filled(norm, width: width, lowest: lowestExponent, highest: highestExponent)
    }

    /// How much of a bar of `width` cells an update-to-weight ratio fills on its log scale.
    public static func ratioFilled(_ ratio: Float, width: Int) -> Int {
        filled(ratio, width: width, lowest: lowestRatioExponent, highest: highestRatioExponent)
    }

    /// The cell of a ratio bar of `width` cells where `referenceRatio` falls.
    public static func referenceCell(width: Int) -> Int {
        max(0, min(width - 1, ratioFilled(referenceRatio, width: width) - 1))
    }

    static func filled(_ value: Float, width: Int, lowest: Int, highest: Int) -> Int {
        guard value.isFinite else { return width }
        guard value > 0 else { return 0 }
        let position = (log10(Double(value)) - Double(lowest)) / Double(highest - lowest)
        return max(0, min(width, Int((position * Double(width)).rounded())))
    }
}
