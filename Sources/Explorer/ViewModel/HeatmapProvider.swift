/// Produces heatmap grids of one matrix on demand at the size the renderer asks for.
///
/// A reference type holding the element source and the zoom/pan/cursor state of the moment the view-model was
/// made; calling `heatmap(rows:cols:)` reads only the rows needed.
public final class HeatmapProvider {
    let source: MatrixSource
    let zoom: Int
    let pan: GridPoint
    let cursor: GridPoint?

    init(source: MatrixSource, zoom: Int, pan: GridPoint, cursor: GridPoint?) {
        self.source = source
        self.zoom = zoom
        self.pan = pan
        self.cursor = cursor
    }

    /// The grid for an area of at most `rows` × `cols` values.
    public func heatmap(rows: Int, cols: Int) -> HeatmapGrid {
        HeatmapDownsampler.grid(of: source, capacityRows: rows, capacityCols: cols, zoom: zoom, pan: pan,
                                cursor: cursor)
    }
}
