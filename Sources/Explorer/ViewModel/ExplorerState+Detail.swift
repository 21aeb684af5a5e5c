import Architectures
import NNCore
import NNModules

extension ExplorerState {
    /// What the detail pane shows for the selected row.
    public var detail: DetailViewModel {
        guard let node = treeCursor.selectedNode else { return .none(hint: "nothing to show: the model is empty") }
        if let entryIndex = treeCursor.nodes[node].entry { return .tensor(tensorDetail(entries[entryIndex])) }
        if let graphNode = graphDetail(node) { return .graphNode(graphNode) }
        return .module(moduleDetail(node))
    }

    /// The matrix (rows × columns) a tensor of `shape` is shown as, and how many slices its leading dimensions
    /// make.
    static func matrixGeometry(_ shape: [Int]) -> (rows: Int, cols: Int, slices: Int) {
        switch shape.count {
        case 0: return (1, 1, 1)
        case 1:
            let width = stripWidth(shape[0])
            return (width == 0 ? 1 : (shape[0] + width - 1) / width, width, 1)
        default:
            let slices = shape.dropLast(2).reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            return (shape[shape.count - 2], shape[shape.count - 1], slices)
        }
    }

    /// Largest 1-d tensor shown as a single row; longer ones are wrapped.
    static let longestUnwrappedStrip = 32

    /// Values per row of a 1-d tensor of `count` elements: all of them up to `longestUnwrappedStrip`, else a
    /// square-ish layout (a heatmap value is about square on screen) with a width rounded up to a multiple of 8
    /// so row starts are easy indices. It depends only on the count, so the cursor keeps its element on resize.
    static func stripWidth(_ count: Int) -> Int {
        guard count > longestUnwrappedStrip else { return max(count, 0) }
        let side = Int(Double(count).squareRoot().rounded(.up))
        return (side + 7) / 8 * 8
    }

    /// Leading indices of flat slice number `slice`.
    static func leadingIndices(of slice: Int, shape: [Int]) -> [Int] {
        guard shape.count > 2 else { return [] }
        let leading = Array(shape.dropLast(2))
        var remainder = slice
        var result = [Int](repeating: 0, count: leading.count)
        for axis in stride(from: leading.count - 1, through: 0, by: -1) where leading[axis] > 0 {
            result[axis] = remainder % leading[axis]
            remainder /= leading[axis]
        }
        return result
    }

    /// The values (or gradient) of `entry` as a matrix source at the entry's current slice.
    func matrixSource(for entry: TensorEntry, showing: ValueOrGradient) -> MatrixSource? {
        if entry.isUninitialised { return nil }
        let view = detailView.view(of: entry.id)
        if let grid = kernelGrid(entry, view: view) { return kernelGridSource(grid, entry: entry, showing: showing) }
        if showing == .gradient {
            guard let grad = entry.tensor?.grad else { return nil }
            return matrixSource(of: grad, slice: view.slice)
        }
        // Quantized blocks cannot be decoded row by row: the tensor is dequantized once and shown from memory.
        if entry.isQuantized, entry.materialised == nil { _ = try? entry.editableTensor() }
        if let tensor = entry.tensor { return matrixSource(of: tensor, slice: view.slice) }
        guard let record = entry.record else { return nil }
        let (rows, cols, slices) = Self.matrixGeometry(record.shape)
        let slice = min(max(view.slice, 0), max(slices - 1, 0))
        return MatrixSource(rows: rows, cols: cols, elements: .record(record, firstRow: record.shape.count > 2 ? slice * rows : 0),
                            wrappedCount: record.shape.count == 1 ? record.shape[0] : nil)
    }

    func matrixSource(of tensor: Tensor, slice: Int) -> MatrixSource {
        let contiguous = tensor.isContiguous ? tensor : tensor.contiguous()
        let (rows, cols, slices) = Self.matrixGeometry(contiguous.shape)
        let slice = min(max(slice, 0), max(slices - 1, 0))
        return MatrixSource(rows: rows, cols: cols, elements: .tensor(contiguous, firstRow: contiguous.rank > 2 ? slice * rows : 0),
                            wrappedCount: contiguous.rank == 1 ? contiguous.shape[0] : nil)
    }

    func tensorDetail(_ entry: TensorEntry) -> TensorDetailViewModel {
        let view = detailView.view(of: entry.id)
        let shape = entry.shape
        let kernels = kernelGrid(entry, view: view)
        let layout: TensorLayout = kernels != nil ? .kernelGrid : shape.count == 0 ? .scalar : shape.count == 1 ? .strip
            : shape.count == 2 ? .matrix : .stacked
        let tensor = entry.tensor
        var message: String?
        if entry.isUninitialised {
            message = "not initialised yet (lazy): run a forward pass (f) to give it a shape and values"
        } else if shape.contains(0) {
            message = "empty: shape \(entry.shapeText) holds no elements"
        } else if detailView.showing == .gradient && tensor?.grad == nil {
            message = isLive ? "no gradient yet: press b for a backward pass" : "browse mode: no gradients"
        }
        let source = message == nil ? matrixSource(for: entry, showing: detailView.showing) : nil
        var stats: TensorStats?
        var histogram: HistogramViewModel?
        // A kernel grid's matrix has gaps: its statistics come from the tensor itself.
        let statsSource = kernels != nil && source != nil ? wholeSource(for: entry, showing: detailView.showing) : source
        if let statsSource, let computed = cachedStats(entry, source: statsSource) {
            stats = computed.0
            histogram = computed.1
        } else if source != nil {
            message = "cannot read \(entry.dtype) elements of \(entry.names.first ?? "tensor")"
        }
        let cursor = view.cursor
        let leading = shape.count > 2 && kernels == nil ? Self.leadingIndices(of: view.slice, shape: shape) : []
        let cursorIndex: [Int]
        switch shape.count {
        case _ where kernels != nil: cursorIndex = kernels?.tensorIndex(row: cursor.row, col: cursor.col) ?? []
        case 0: cursorIndex = []
        case 1: cursorIndex = [cursor.row * (source?.cols ?? 0) + cursor.col]
        default: cursorIndex = leading + [cursor.row, cursor.col]
        }
        let cursorValue = source?.element(row: cursor.row, col: cursor.col)
        let provider = source.map { HeatmapProvider(source: $0, zoom: windowZoom(entry, view), pan: view.pan, cursor: cursor) }
        return TensorDetailViewModel(
            names: entry.names, namesText: entry.names.joined(separator: " = "), kind: entry.kind, shape: shape,
            shapeText: entry.shapeText, dtype: entry.isQuantized ? entry.dtype + " (shown dequantized)" : entry.dtype,
            showing: detailView.showing, hasGradient: tensor?.grad != nil,
            isLazyUninitialised: entry.isUninitialised, isEdited: entry.isEdited, layout: layout, stats: stats,
            histogram: histogram, scalarValue: layout == .scalar ? cursorValue : nil, zoomLevel: view.zoom,
            panOffset: view.pan, cursor: cursor, cursorIndex: cursorIndex, cursorValue: cursorValue,
            cursorText: cursorValue.map { ValueFitting.text($0, as: detailView.showing == .gradient ? .f32 : entry.elementType) },
            leadingIndices: leading, leadingShape: shape.count > 2 && kernels == nil ? Array(shape.dropLast(2)) : [],
            editScope: detailView.editScope, tiedGradients: tiedGradients(entry, view: view),
            backwardCount: tensor?.backwardCount ?? 0, message: message, grid: provider, kernelGrid: kernels)
    }

    func tiedGradients(_ entry: TensorEntry, view: TensorViewState) -> TiedGradientViewModel? {
        // Shared by name (a tied parameter) or by use (an ONNX initializer read by several nodes).
        guard let tensor = entry.tensor, let grad = tensor.grad, !tensor.gradientContributions.isEmpty,
              entry.names.count > 1 || tensor.gradientContributions.count > 1 else { return nil }
        func part(_ site: String, _ label: String, _ gradient: Tensor) -> GradientPartViewModel {
            GradientPartViewModel(site: site, label: label, norm: TensorStatistics.norm(of: gradient),
                                  grid: HeatmapProvider(source: matrixSource(of: gradient, slice: view.slice),
                                                        zoom: view.zoom, pan: view.pan, cursor: view.cursor))
        }
        let parts = tensor.gradientContributions.map { contribution in
            part(contribution.site, Self.useLabel(contribution.site), contribution.gradient)
        }
        let gradValues = grad.toArray()
        var total = [Float](repeating: 0, count: gradValues.count)
        for contribution in tensor.gradientContributions {
            for (i, v) in contribution.gradient.toArray().enumerated() where i < total.count { total[i] += v }
        }
        var discrepancy: Float = 0
        for (a, b) in zip(total, gradValues) { discrepancy = max(discrepancy, abs(a - b)) }
        return TiedGradientViewModel(contributions: parts, sum: part("", "sum = grad", grad),
                                     backwardCount: tensor.backwardCount, maxSumDiscrepancy: discrepancy)
    }

    /// How the tied-gradient panel names a use: "via module 2" for a position in a Sequential (a bare number
    /// needs the word), "via transformer.wte" for a named path (the panel's columns are narrow).
    static func useLabel(_ site: String) -> String {
        if site.isEmpty { return "direct" }
        return site.allSatisfy(\.isNumber) ? "via module \(site)" : "via \(site)"
    }

    /// Why a module has no calls to show: no forward pass yet, the last pass failed before reaching it, or (an ONNX
    /// graph's initializer scope) it is only a group of names, which the graph's nodes read.
    func notCalledMessage(_ module: Module) -> String {
        if module is ONNXScope { return "initializers grouped by name: the graph's nodes read them (see the graph branch)" }
        if let failure = run.lastPassFailure { return "not reached: the last pass failed before this module: \(failure)" }
        return "no forward pass yet: press f"
    }

    func moduleDetail(_ index: Int) -> ModuleDetailViewModel {
        let node = treeCursor.nodes[index]
        let count = subtreeAggregate(index).count
        guard let module = node.module else {
            return ModuleDetailViewModel(path: node.path, names: [node.path.isEmpty ? node.name : node.path],
                                         typeName: "", summary: node.typeSummary, repr: "", parameterCount: count,
                                         calls: [], outputGrid: nil, outputStats: nil,
                                         message: "browse mode: no architecture, only tensors (open a .nn spec with --weights to run the model)")
        }
        let names = treeCursor.nodes.filter { $0.module === module && $0.entry == nil }.map(\.path)
        let trace = liveModule?.lastForward
        var calls: [ModuleCallViewModel] = []
        var output: Tensor?
        if let trace {
            for record in trace.records where names.contains(record.path) {
                calls.append(ModuleCallViewModel(path: record.path, inputShapes: record.inputShapes,
                                                 outputShape: record.outputShape))
            }
            output = trace.lastRecord(at: node.path)?.output
        }
        var grid: HeatmapProvider?
        var stats: TensorStats?
        if let output {
            let contiguous = output.isContiguous ? output : output.contiguous()
            let cols = contiguous.shape.last ?? 1
            let rows = cols == 0 ? 0 : contiguous.count / cols
            let source = MatrixSource(rows: rows, cols: cols, elements: .tensor(contiguous, firstRow: 0))
            grid = HeatmapProvider(source: source, zoom: 0, pan: GridPoint(row: 0, col: 0), cursor: nil)
            stats = TensorStatistics.compute(source)?.0
        }
        var detail = ModuleDetailViewModel(path: node.path, names: names, typeName: module.typeName,
                                           summary: module.summary, repr: module.description, parameterCount: count,
                                           calls: calls, outputGrid: grid, outputStats: stats,
                                           message: calls.isEmpty ? notCalledMessage(module) : nil)
        let outputEntry = outputEntry(node: index)
        let (slice, element) = featureMapCursor(outputEntry)
        detail.featureMaps = output.flatMap { FeatureMapGrid(output: $0, slice: slice, cursor: focus == .detail ? element : nil) }
        detail.attention = attentionDetail(path: node.path)
        detail.output = outputEntry.map(tensorDetail)
        if !calls.isEmpty, detail.attention == nil, let refusal = capture?.refusal,
           capture?.records(at: node.path).isEmpty ?? false {
            detail.message = refusal.message
        }
        if output == nil, let failure = run.lastPassFailure, let last = trace?.lastRecord(at: node.path),
           last.outputShape == nil {
            detail.message = "no output: this call threw in the last pass: \(failure)"
        }
        if index == 0 { detail.gradientFlow = gradientFlow }
        if index == 0, let session {
            detail.predictions = run.sessionLines
            detail.image = (session as? LiveImageSession)?.croppedImage
        }
        return detail
    }

    /// The feature maps' cursor: the output entry's own, as its [N, C] slice (`n × C + c`) and H × W element. An
    /// output whose maps are small enough to be browsed as a kernel grid (16 × 16 at most) has its cursor in that
    /// grid: kernel [o, i] is sample o, map i.
    func featureMapCursor(_ entry: TensorEntry?) -> (slice: Int, element: GridPoint?) {
        guard let entry, entry.shape.count == 4 else { return (0, nil) }
        let view = detailView.view(of: entry.id)
        if let kernels = kernelGrid(entry, view: view) {
            guard let at = kernels.tensorIndex(row: view.cursor.row, col: view.cursor.col) else { return (0, nil) }
            return (at[0] * entry.shape[1] + at[1], GridPoint(row: at[2], col: at[3]))
        }
        return (view.slice, view.cursor)
    }
}
