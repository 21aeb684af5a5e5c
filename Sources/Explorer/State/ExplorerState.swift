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

    /// The tensors, by id (a tied tensor once).
    var entries: [TensorEntry]
    /// The tree's nodes, which are expanded, the visible rows, the cursor and the scroll.
    var treeCursor: TreeCursor

    /// How far the help overlay is scrolled.
    var helpScrolling = HelpScroll()

    /// Which pane the movement keys act on.
    public internal(set) var focus: ExplorerFocus = .tree
    /// The mode, the prompt or question open and the line being typed.
    var prompts = PromptState()
    /// The status line.
    public internal(set) var status = StatusViewModel(text: "")
    /// The current theme's name (`t` cycles through `options.themeNames`).
    public internal(set) var themeName: String
    /// True once the person has quit (after confirming, if there were unsaved edits).
    public internal(set) var wantsQuit = false
    /// The keymap in use.
    public let keymap: Keymap

    /// The input, loss, learning rate, losses and steps of a live model (defaults in browse mode).
    var run: LiveRun

    /// Values or gradients, the edit scope, each tensor's zoom, window and cursor, the attention head.
    var detailView = DetailViewState()

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

    /// Undo and redo of edits and SGD steps, and which entries hold unsaved hand edits.
    var history: EditHistory

    // Prompts.
    /// The file this session last wrote: saving to it again does not ask to overwrite.
    var lastSavedPath: String?

    /// Numbers computed for drawing, kept until a command changes the model's numbers.
    var caches = RenderCaches()

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
        let settings = options.settings
        let nodes: [TreeNode]
        history = EditHistory(budget: settings.undoBudgetValues)
        if let session {
            self.spec = nil
            let built = TreeBuilder.live(session.module, name: model.name)
            nodes = built.nodes
            entries = built.entries
            run = LiveRun(input: nil, target: nil, loss: .crossEntropy, learningRate: settings.defaultLearningRate,
                          seed: options.seed ?? 0, targetSeed: options.seed ?? 0)
            Self.enableCapture(on: session.module, budgetBytes: settings.activationBudgetBytes)
            status = StatusViewModel(text: "\(model.name): live \(session.taskDescription): i types the input, f forward, b backward, ? help"
                                     + (session.openingNote.map { "; " + $0 } ?? ""))
        } else {
        switch model.content {
        case .live(let spec):
            self.spec = spec
            Self.enableCapture(on: spec.model, budgetBytes: settings.activationBudgetBytes)
            let built = TreeBuilder.live(spec.model, name: model.name)
            nodes = built.nodes
            entries = built.entries
            run = LiveRun(input: spec.input, target: spec.target, loss: spec.loss ?? .sum,
                          learningRate: spec.learningRate ?? settings.defaultLearningRate,
                          seed: (options.seed ?? spec.seed) &+ 1, targetSeed: options.seed ?? spec.seed)
            status = StatusViewModel(text: "\(model.name): press ? for help, f forward, b backward")
        case .weights(let archive):
            self.spec = nil
            let built = TreeBuilder.browse(archive, name: model.name)
            nodes = built.nodes
            entries = built.entries
            run = LiveRun(input: nil, target: nil, loss: .sum, learningRate: settings.defaultLearningRate,
                          seed: options.seed ?? 0, targetSeed: options.seed ?? 0)
            status = StatusViewModel(text: "\(model.name): \(archive.tensors.count) tensors (browse mode: ? for help)"
                                     + (browseReason.map { "; not run live: " + $0 } ?? ""))
        }
        }
        treeCursor = TreeCursor(nodes: nodes, settings: settings)
    }

    /// True for a model that can run forward and backward.
    public var isLive: Bool { spec != nil || session != nil }

    /// The module that runs: the spec's or the session's; nil in browse mode.
    var liveModule: Module? { spec?.model ?? session?.module }

    /// The renderer reports how many tree rows and heatmap values fit, so scrolling, paging and heatmap cursor
    /// movement match what is drawn.
    public func setViewport(treeRows: Int, heatmapRows: Int, heatmapCols: Int) {
        treeCursor.setViewport(rows: treeRows)
        detailView.setHeatmapCapacity(rows: heatmapRows, cols: heatmapCols)
    }

    /// The renderer reports how many help lines are hidden at most and how many show at once; the scroll
    /// position is clamped to them.
    public func setHelpViewport(scrollLimit: Int, pageLines: Int) {
        helpScrolling.setViewport(scrollLimit: scrollLimit, pageLines: pageLines)
    }

    /// Rows that fit in the tree pane, as last reported.
    public var treeViewportRows: Int { treeCursor.viewportRows }

    /// The heatmap capacity (rows, columns), as last reported.
    public var heatmapViewport: GridPoint { detailView.heatmapCapacity }

    /// The entry of the selected row, if it is a tensor.
    var selectedEntry: TensorEntry? { treeCursor.selectedNode.flatMap { treeCursor.nodes[$0].entry }.map { entries[$0] } }

    func setStatus(_ text: String) { status = StatusViewModel(text: text) }

    func setError(_ text: String) { status = StatusViewModel(text: text, isError: true) }

    /// What keys do now (normal, prompt, question, help, search).
    public var mode: ExplorerMode { prompts.mode }

    /// The prompt's or search's line being typed (its text is the mode's).
    public var lineEditor: LineEditor { prompts.lineEditor }

    /// The help overlay's first line shown.
    public var helpScroll: Int { helpScrolling.offset }

    /// True when something (an edit or an SGD step) is not saved.
    public var hasUnsavedChanges: Bool { run.unsavedSteps != 0 || history.hasUnsavedEdits }

    /// The selected loss.
    public var loss: Loss { run.loss }

    /// The learning rate of the SGD step.
    public var learningRate: Float { run.learningRate }
}
