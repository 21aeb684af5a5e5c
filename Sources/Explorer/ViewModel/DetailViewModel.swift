import Images
/// What the detail pane (right) shows for the selected row.
public enum DetailViewModel {
    /// A parameter or buffer.
    case tensor(TensorDetailViewModel)
    /// A module.
    case module(ModuleDetailViewModel)
    /// A node of an ONNX graph, a scope of its nodes, or the whole graph.
    case graphNode(GraphNodeDetailViewModel)
    /// Nothing selected (or nothing to show): a hint for the person.
    case none(hint: String)
}

/// A tensor's values or gradient, statistics, histogram and heatmap.
public struct TensorDetailViewModel {
    /// Every name of the tensor (a tied parameter has several), in tree order.
    public var names: [String]
    /// The names joined for display: `2.weight = 4.weight`.
    public var namesText: String
    /// Parameter or buffer.
    public var kind: TreeRowKind
    /// The shape (`[]` for a scalar); unknown dimensions of a lazy parameter are -1.
    public var shape: [Int]
    /// The shape for display (`[8, 4]`, `[8, ?]`).
    public var shapeText: String
    /// The element type in the file or `F32`.
    public var dtype: String
    /// Values or gradient.
    public var showing: ValueOrGradient
    /// Whether the tensor has a gradient right now.
    public var hasGradient: Bool
    /// A lazy parameter without values yet.
    public var isLazyUninitialised: Bool
    /// Edited and not saved.
    public var isEdited: Bool
    /// How the tensor is laid out on screen.
    public var layout: TensorLayout
    /// Statistics of what is shown; nil when there is nothing (no gradient yet, uninitialised, unreadable).
    public var stats: TensorStats?
    /// A 20-bin histogram of what is shown.
    public var histogram: HistogramViewModel?
    /// The value of a scalar.
    public var scalarValue: Float?
    /// Zoom steps in from "whole tensor fits" (0).
    public var zoomLevel: Int
    /// The matrix element at the top-left of the heatmap window.
    public var panOffset: GridPoint
    /// The heatmap cursor in matrix coordinates (row, column of the slice shown).
    public var cursor: GridPoint
    /// The cursor's full index into the tensor (`[1, 3]`, or with leading indices for ≥3-d).
    public var cursorIndex: [Int]
    /// The exact value (or gradient) at the cursor.
    public var cursorValue: Float?
    /// The cursor's value as the element type spells it: `-128` for integers, `true` for BOOL, else the exact float.
    public var cursorText: String?
    /// For ≥3-d tensors: the chosen leading indices and the sizes of the leading dimensions.
    public var leadingIndices: [Int]
    /// Sizes of the leading dimensions (empty below 3-d).
    public var leadingShape: [Int]
    /// The scope that the fill/scale/zero/re-initialise keys apply to.
    public var editScope: EditScope
    /// For a shared parameter after a backward pass: the gradient by use and the sum.
    public var tiedGradients: TiedGradientViewModel?
    /// Backward passes accumulated into this tensor since the last zero.
    public var backwardCount: Int
    /// A note for the person when there is nothing to draw ("no gradient yet: press b"), else nil.
    public var message: String?
    /// Makes heatmap grids of what is shown.
    public var grid: HeatmapProvider?
    /// For a 4-d convolution kernel: how its kernels are laid out in the grid (nil otherwise).
    var kernelGrid: KernelGrid? = nil

    /// The heatmap downsampled to at most `rows` × `cols` values (`.empty` when there is nothing to show).
    public func heatmap(rows: Int, cols: Int) -> HeatmapGrid {
        grid?.heatmap(rows: rows, cols: cols) ?? .empty
    }
}

/// One call of a module during the last forward pass.
public struct ModuleCallViewModel: Equatable, Sendable {
    /// The call site's path.
    public var path: String
    /// Shapes of the inputs.
    public var inputShapes: [[Int]]
    /// The output's shape (nil if the call failed).
    public var outputShape: [Int]?
}

/// A module: what it is, what it holds and what it did in the last forward pass.
public struct ModuleDetailViewModel {
    /// The dotted path ("" for the root).
    public var path: String
    /// Every path the same instance sits at (`2 = 4` for the tied layer).
    public var names: [String]
    /// The type name (`Linear`).
    public var typeName: String
    /// The one-line summary (`Linear(8 → 8)`).
    public var summary: String
    /// PyTorch's repr, possibly several lines.
    public var repr: String
    /// Elements in the subtree, each distinct tensor once.
    public var parameterCount: Int
    /// Calls of this module in the last forward (a module used twice has two), empty before one.
    public var calls: [ModuleCallViewModel]
    /// Heatmap of the last call's output activations (nil before a forward).
    public var outputGrid: HeatmapProvider?
    /// Statistics of the last output.
    public var outputStats: TensorStats?
    /// A hint when there is no forward yet.
    public var message: String?
    /// A live transformer's predictions from the last `f` or `b` (the root module only).
    public var predictions: [String] = []
    /// A live image model's input photo as the network sees it (the root module only).
    public var image: DecodedImage? = nil
    /// An attention module's captured pattern (live transformers, after a forward pass).
    public var attention: AttentionViewModel? = nil
    /// The last call's captured output (or, after `b` and `g`, its gradient) shown as a read-only tensor: the same
    /// heatmap, statistics, histogram, zoom, cursor and slices as a parameter; nil without a capture of it.
    public var output: TensorDetailViewModel? = nil
    /// The root's gradient flow after a backward pass (drawn instead of the root's output).
    public var gradientFlow: GradientFlowViewModel? = nil

    /// A convolution's `[N, C, H, W]` output as a grid of feature maps (nil for other outputs).
    public var featureMaps: FeatureMapGrid? = nil

    /// The output activations' heatmap at `rows` × `cols` capacity (`.empty` before a forward): a grid of
    /// feature maps for a 4-d output, or the plain heatmap when the area is too small for one cell per channel.
    public func heatmap(rows: Int, cols: Int) -> HeatmapGrid {
        if let maps = featureMaps?.heatmap(rows: rows, cols: cols), maps.rows > 0 { return maps }
        return outputGrid?.heatmap(rows: rows, cols: cols) ?? .empty
    }
}
