/// How the detail pane looks at things: values or gradients, the edit scope of F/S/Z/I, each tensor's zoom, window,
/// cursor and slice (kept by entry id, so coming back to a tensor finds it as it was left), the attention head, and
/// the heatmap's capacity as the renderer last reported it.
struct DetailViewState {
    /// Whether tensors show their values or their gradients.
    var showing: ValueOrGradient = .value
    /// What F, S, Z and I act on.
    private(set) var editScope: EditScope = .tensor
    /// Each looked-at tensor's view, by entry id (module outputs and attention patterns have negative ids).
    var views: [Int: TensorViewState] = [:]
    /// The attention head an attention module's detail shows (from 0).
    private(set) var attentionHead = 0
    /// Whether the attention detail shows the mean over heads instead (`>` past the last head).
    private(set) var attentionShowsMean = false
    /// The text of the batch an attention module's detail shows (from 0; `{` `}`).
    var attentionSample = 0
    /// Heatmap cells that fit (rows, columns), as the renderer last reported.
    private(set) var heatmapCapacity = GridPoint(row: 32, col: 48)

    /// The view of entry `id`: as last left, or the default (whole tensor, cursor at the first element).
    func view(of id: Int) -> TensorViewState { views[id] ?? TensorViewState() }

    /// The renderer reports how many heatmap cells fit (at least 1 × 1).
    mutating func setHeatmapCapacity(rows: Int, cols: Int) {
        heatmapCapacity = GridPoint(row: max(1, rows), col: max(1, cols))
    }

    /// Switches between values and gradients.
    mutating func toggleShowing() {
        showing = showing == .value ? .gradient : .value
    }

    /// The next edit scope: tensor → row → column → tensor.
    mutating func cycleEditScope() {
        editScope = editScope == .tensor ? .row : editScope == .row ? .column : .tensor
    }

    /// Shows head `position` of `heads` (from 0), or the mean over heads for `position == heads`.
    mutating func showAttention(position: Int, of heads: Int) {
        attentionShowsMean = position == heads
        if position < heads { attentionHead = position }
    }

    /// `m`: the mean over heads, or back to the head shown before.
    mutating func toggleAttentionMean() {
        attentionShowsMean.toggle()
    }
}
