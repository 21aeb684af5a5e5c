import NNCore
import NNModules
import ModelFiles
import TerminalUI

/// The explorer: a model, a tree over it, a selection, edits and their history — and no drawing.
/// `handle(_:)` applies a command and returns what the caller should do (htop style); the renderer reads the
/// view-models (`header`, `tree`, `detail`, `status`, `mode`, `focus`), which are computed on demand from the
/// visible rows only.
public final class ExplorerState {
    /// What was opened.
    public let model: LoadedModel
    /// The options it was opened with.
    public let options: ExplorerOptions
    /// The built spec of a live model, nil in browse mode.
    let spec: ModelSpec?
    /// A model that runs on typed input (a transformer), nil for specs and browsed files.
    public let session: (any LiveSession)?
    /// What the session's last forward or backward pass said (predictions), shown in the root's pane.
    var sessionLines: [String] = []

    var nodes: [TreeNode]
    var entries: [TensorEntry]
    /// Node indices of the visible rows, in display order.
    var visible: [Int] = []

    // Selection and viewport.
    var cursorRow = 0
    var scrollRow = 0
    var viewportTreeRows = 20
    var heatmapCapacity = GridPoint(row: 32, col: 48)
    /// The help overlay's first line shown, and the largest useful one and a page's lines (reported by the
    /// renderer; 0 when every line fits).
    public internal(set) var helpScroll = 0
    var helpScrollLimit = 0
    var helpPageLines = 1

    /// Which pane the movement keys act on.
    public internal(set) var focus: ExplorerFocus = .tree
    /// What keys do now (normal, prompt, question, help, search).
    public internal(set) var mode: ExplorerMode = .normal
    /// The status line.
    public internal(set) var status = StatusViewModel(text: "")
    /// The current theme's name (`t` cycles through `options.themeNames`).
    public internal(set) var themeName: String
    /// True once the person has quit (after confirming, if there were unsaved edits).
    public internal(set) var wantsQuit = false
    /// The keymap in use.
    public let keymap: Keymap

    // Live model.
    var input: Tensor?
    var target: Tensor?
    var targetIsGenerated = false
    /// The selected loss.
    public internal(set) var loss: Loss
    /// The learning rate of the SGD step.
    public internal(set) var learningRate: Float
    var lossHistory: [Float] = []
    var lastLoss: Float?
    var backwardPassesSinceZero = 0
    var generator: SeededGenerator
    var lastTrace: ForwardTrace?
    /// SGD steps applied minus steps undone since the last save.
    var unsavedSteps = 0
    /// Ids of the entries with unsaved hand edits (`unsavedEditBalance != 0`).
    var editedEntries = Set<Int>()

    // Detail pane.
    var showing: ValueOrGradient = .value
    var editScope: EditScope = .tensor
    var views: [Int: TensorViewState] = [:]
    /// The attention head an attention module's detail shows (from 0), and whether it shows the mean instead
    /// (`>` past the last head).
    var attentionHead = 0
    var attentionShowsMean = false
    /// The text of the batch an attention module's detail shows (from 0; `{` `}`).
    var attentionSample = 0

    // Training in the explorer and what the last runs left to look at (ExplorerState+Training).
    /// The training run going, or the last one (its strip shows while `trainingStripShown`).
    var trainingRun: LiveTrainingRun?
    var trainingStripShown = false
    /// The steps `T` offers (the last typed).
    var lastTrainingSteps = ExplorerState.defaultTrainingSteps
    /// The sizes of the last SGD update, for the gradient flow's update-to-weight ratios.
    var lastUpdate: ParameterUpdates?
    /// The first module whose output went non-finite in the last forward pass (`N` jumps to it).
    var nonFiniteOutput: NonFiniteOutput?

    // Editing.
    var undoStack: [EditRecord] = []
    var redoStack: [EditRecord] = []
    var pendingPrompt: PromptPurpose?
    /// The prompt's or search's line being typed (its text mirrors the mode's).
    public internal(set) var lineEditor = LineEditor()
    var pendingConfirm: ConfirmPurpose?
    /// Whether `lastLoss` no longer describes the model (an edit, a step, a new input or another loss since it
    /// was computed); the next forward or backward pass makes it current again.
    var lastLossIsStale = false
    /// The file this session last wrote: saving to it again does not ask to overwrite.
    var lastSavedPath: String?
    var lastSearch: String?

    // Caches for drawing, valid while `modelVersion` is unchanged (every command that changes numbers bumps it).
    var modelVersion = 0
    var gradNormCache: [Int: Float?] = [:]
    var statsCache: [StatsKey: (TensorStats, HistogramViewModel)?] = [:]
    var cacheVersion = 0
    var aggregateCache: [Int: SubtreeAggregate] = [:]
    var totalsCache: (total: Int, trainable: Int, lazy: Int)?
    /// Node indices in display order; the tree's shape never changes after opening.
    var preOrderNodes: [Int] = []
    /// Lower-cased paths by node, made on the first search.
    var searchablePaths: [String]?

    /// Opens `model`: builds the tree (nothing is read from a weights file yet) and, for a live model, takes the
    /// spec's input, target, loss and learning rate.
    ///
    /// With a `session` the model is the session's (a transformer run on typed texts) and `model` only names it;
    /// `browseReason` says why a model that looked runnable is browsed instead.
    public init(model: LoadedModel, options: ExplorerOptions = .init(), session: (any LiveSession)? = nil,
                browseReason: String? = nil) throws {
        self.model = model
        self.options = options
        self.themeName = options.themeName
        self.keymap = .default
        self.session = session
        if let session {
            self.spec = nil
            let built = TreeBuilder.live(session.module, name: model.name)
            nodes = built.nodes
            entries = built.entries
            loss = .crossEntropy
            learningRate = 0.01
            generator = SeededGenerator(seed: options.seed ?? 0)
            Self.enableCapture(on: session.module)
            status = StatusViewModel(text: "\(model.name): live \(session.taskDescription): i types the input, f forward, b backward, ? help")
        } else {
        switch model.content {
        case .live(let spec):
            self.spec = spec
            Self.enableCapture(on: spec.model)
            let built = TreeBuilder.live(spec.model, name: model.name)
            nodes = built.nodes
            entries = built.entries
            input = spec.input
            target = spec.target
            loss = spec.loss ?? .sum
            learningRate = spec.learningRate ?? 0.01
            generator = SeededGenerator(seed: (options.seed ?? spec.seed) &+ 1)
            status = StatusViewModel(text: "\(model.name): press ? for help, f forward, b backward")
        case .weights(let archive):
            self.spec = nil
            let built = TreeBuilder.browse(archive, name: model.name)
            nodes = built.nodes
            entries = built.entries
            loss = .sum
            learningRate = 0.01
            generator = SeededGenerator(seed: options.seed ?? 0)
            status = StatusViewModel(text: "\(model.name): \(archive.tensors.count) tensors (browse mode: ? for help)"
                                     + (browseReason.map { "; not run live: " + $0 } ?? ""))
        }
        }
        preOrderNodes = TreeBuilder.preOrder(nodes)
        nodes[0].isExpanded = true
        if nodes.count <= 200 {
            for index in nodes.indices where !nodes[index].children.isEmpty { nodes[index].isExpanded = true }
        } else {
            for child in nodes[0].children { nodes[child].isExpanded = nodes[child].children.count <= 50 && nodes.count <= 2000 }
        }
        rebuildVisible()
    }

    /// True for a model that can run forward and backward.
    public var isLive: Bool { spec != nil || session != nil }

    /// The module that runs: the spec's or the session's; nil in browse mode.
    var liveModule: Module? { spec?.model ?? session?.module }

    /// The renderer reports how many tree rows and heatmap values fit, so scrolling, paging and heatmap cursor
    /// movement match what is drawn.
    public func setViewport(treeRows: Int, heatmapRows: Int, heatmapCols: Int) {
        viewportTreeRows = max(1, treeRows)
        heatmapCapacity = GridPoint(row: max(1, heatmapRows), col: max(1, heatmapCols))
        clampScroll()
    }

    /// The renderer reports how many help lines are hidden at most and how many show at once; the scroll
    /// position is clamped to them.
    public func setHelpViewport(scrollLimit: Int, pageLines: Int) {
        helpScrollLimit = max(0, scrollLimit)
        helpPageLines = max(1, pageLines)
        helpScroll = min(helpScroll, helpScrollLimit)
    }

    /// Rows that fit in the tree pane, as last reported.
    public var treeViewportRows: Int { viewportTreeRows }

    /// The heatmap capacity (rows, columns), as last reported.
    public var heatmapViewport: GridPoint { heatmapCapacity }

    /// The node of the selected row.
    var selectedNode: Int? { visible.indices.contains(cursorRow) ? visible[cursorRow] : nil }

    /// The entry of the selected row, if it is a tensor.
    var selectedEntry: TensorEntry? { selectedNode.flatMap { nodes[$0].entry }.map { entries[$0] } }

    /// Recomputes the visible rows after expanding or collapsing, keeping the selected node when it stays visible.
    func rebuildVisible(keeping node: Int? = nil) {
        let keep = node ?? selectedNode
        var rows: [Int] = []
        var stack = [0]
        while let index = stack.popLast() {
            rows.append(index)
            if nodes[index].isExpanded { stack.append(contentsOf: nodes[index].children.reversed()) }
        }
        visible = rows
        if let keep, let row = rows.firstIndex(of: keep) { cursorRow = row }
        cursorRow = min(max(cursorRow, 0), max(rows.count - 1, 0))
        clampScroll()
    }

    /// Keeps the cursor on screen.
    func clampScroll() {
        if cursorRow < scrollRow { scrollRow = cursorRow }
        if cursorRow >= scrollRow + viewportTreeRows { scrollRow = cursorRow - viewportTreeRows + 1 }
        scrollRow = min(max(scrollRow, 0), max(visible.count - viewportTreeRows, 0))
    }

    func setStatus(_ text: String) { status = StatusViewModel(text: text) }

    func setError(_ text: String) { status = StatusViewModel(text: text, isError: true) }

    /// True when something (an edit or an SGD step) is not saved.
    public var hasUnsavedChanges: Bool { unsavedSteps != 0 || !editedEntries.isEmpty }
}
