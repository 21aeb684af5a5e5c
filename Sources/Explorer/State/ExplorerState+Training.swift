import Dispatch
import NNCore
import NNModules
import TerminalUI

/// Training in the explorer (`T`): a prompt for the number of steps, then one step per tick of the event loop
/// (`advanceWork`), each zeroing the gradients, running forward, the loss and backward, and an SGD step at the
/// learning rate — for a .nn spec with its loss and target as `b` uses them, for a live transformer or image
/// model with the session's loss. Esc stops between steps; the whole run is one undo step.
extension ExplorerState {
    /// The steps the prompt offers when nothing was typed before.
    static let defaultTrainingSteps = 20

    /// Whether work is waiting for the next tick (a training run going): the event loop then polls for keys
    /// without waiting and calls `advanceWork()`.
    public var hasPendingWork: Bool { trainingRun?.isRunning ?? false }

    /// `T`: asks how many steps to train.
    func beginTraining() throws -> Reaction {
        _ = try requireRunnable("train")
        if spec != nil { _ = try requireInput("train") }
        prompts.open(.trainingSteps, label: "train how many steps (SGD at lr \(NumberFormat.short(run.learningRate)); Esc stops): ",
                     text: String(lastTrainingSteps), selected: true)
        return .redraw
    }

    /// Starts a run of the typed number of steps; the event loop runs them.
    func startTraining(typed text: String) throws -> Reaction {
        _ = try requireRunnable("train")
        guard let steps = Int(text), (1 ... LiveTrainingRun.maximumSteps).contains(steps) else {
            throw ExplorerError("train: type a number of steps from 1 to \(NumberFormat.count(LiveTrainingRun.maximumSteps)), not '\(text)'")
        }
        lastTrainingSteps = steps
        trainingRun = LiveTrainingRun(targetSteps: steps, learningRate: run.learningRate, startValues: trainingStartValues())
        trainingStripShown = true
        setStatus("training: step 0 of \(steps) (Esc stops)")
        return .redraw
    }

    /// Every parameter's values now, by entry id, for undoing a run; nil beyond the undo budget.
    func trainingStartValues() -> [Int: [Float]]? {
        let parameters = entries.filter { $0.kind == .parameter && $0.tensor != nil }
        let elements = parameters.reduce(0) { $0 + ($1.tensor?.count ?? 0) }
        guard elements <= history.budget else { return nil }
        var values: [Int: [Float]] = [:]
        for entry in parameters { values[entry.id] = entry.tensor?.toArray() }
        return values
    }

    /// Runs the next step of the training run, if one is going; the run ends after its last step, at a loss
    /// that is not finite, or at an error.
    @discardableResult
    public func advanceWork() -> Reaction {
        guard var training = trainingRun, training.isRunning else { return [] }
        do {
            let start = DispatchTime.now().uptimeNanoseconds
            let loss = try trainingStep()
            training.record(loss: loss, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        } catch {
            training.fail("\(error)")
        }
        trainingRun = training
        caches.modelChanged()
        if training.isRunning {
            setStatus("\(training.headline), loss \(NumberFormat.short(training.lastLoss ?? .nan)) (Esc stops)")
        } else {
            finishTraining()
        }
        return [.redraw, .changedModel]
    }

    /// One step: zero the gradients, forward, loss, backward, SGD. Returns the loss.
    func trainingStep() throws -> Float {
        let module = try requireRunnable("train")
        module.zeroGrad()
        let value: Float
        if let session {
            let outcome = try session.backward()
            run.sessionLines = outcome.lines
            guard let loss = outcome.loss else { throw ExplorerError("train: the \(session.taskDescription) model gave no loss") }
            value = loss
        } else {
            let spec = try requireLive("train")
            let output = try spec.model(try requireInput("train"))
            let loss = try computeLoss(output: output, target: try run.target(for: output))
            try loss.backward()
            value = (try? loss.item()) ?? .nan
        }
        run.gradientsZeroed()
        run.backwardAccumulated(loss: value)
        guard value.isFinite else { return value }
        var updates = ParameterUpdates(learningRate: run.learningRate)
        for entry in entries where entry.kind == .parameter {
            if let tensor = entry.tensor, let grad = tensor.grad { updates.record(entry: entry.id, weight: tensor, gradient: grad) }
        }
        try SGD(module.parameters(), lr: run.learningRate).step()
        lastUpdate = updates
        // The loss was measured before this step's update.
        run.modelChanged()
        return value
    }

    /// Ends the run: the parameters' change becomes one undo step and the status says what the run did.
    func finishTraining() {
        guard let training = trainingRun else { return }
        var text = training.headline + " at lr \(NumberFormat.short(training.learningRate))"
        if let summary = training.lossSummary { text += ": " + summary }
        if training.done > 0 {
            run.stepsApplied(1)
            let label = "training run: " + text
            if let record = training.undoRecord(label: label, current: { self.entries[$0].tensor?.toArray() }), remember(record) {
                text += "; u undoes the run"
            } else if training.startValues == nil {
                text += " (too large to undo)"
            }
        }
        let problem = firstNonFinite(outputs: true, loss: training.lastLoss, gradients: true)
        if case .failed(let message) = training.outcome {
            setError(text + ": " + message)
        } else if let problem {
            setError(text + "; " + problem)
        } else {
            setStatus(text)
        }
        if detailView.showing == .value, selectedEntry?.kind == .parameter { detailView.showing = .gradient }
    }

    /// Esc during a run: stops it after the steps done.
    func stopTraining() -> Reaction {
        guard var training = trainingRun, training.isRunning else { return [] }
        training.stop()
        trainingRun = training
        finishTraining()
        return [.redraw, .changedModel]
    }

    /// Keys while a run goes or its strip shows, before the keymap: Esc (or Ctrl-C) stops the run; keys that only
    /// look (movement, zoom, search, help, g) work as usual, keys that would change the model wait. Once the run
    /// ended its strip stays until the next key (Esc only closes it). Nil: handle the event as usual.
    func handleDuringTraining(_ event: InputEvent) -> Reaction? {
        guard let training = trainingRun, mode == .normal else { return nil }
        switch event {
        case .resize, .mouse: return nil
        default: break
        }
        if training.isRunning {
            if event == .escape || event == .ctrl("c") { return stopTraining() }
            guard let command = keymap.command(for: event) else { return [] }
            if command.onlyLooks { return nil }
            setStatus("\(training.headline): Esc stops the run first")
            return .redraw
        }
        guard trainingStripShown else { return nil }
        trainingStripShown = false
        if event == .escape { return .redraw }
        return handle(event).union(.redraw)
    }

    /// What the training strip shows: the run while it goes and after it, until the next key.
    public var trainingView: TrainingViewModel? {
        guard let training = trainingRun, trainingStripShown else { return nil }
        return TrainingViewModel(run: training, showsTimes: options.showsStepTimes)
    }
}

extension ExplorerCommand {
    /// Whether the command only changes what is shown (so it may run while a training run goes).
    var onlyLooks: Bool {
        switch self {
        case .moveUp, .moveDown, .moveLeft, .moveRight, .pageUp, .pageDown, .home, .end, .collapse, .expand, .toggle,
             .expandAllBelow, .collapseAllBelow, .switchPane, .moveHeatmapCursor, .panHeatmap, .zoomIn, .zoomOut,
             .leadingIndexUp, .leadingIndexDown, .selectTreeRow, .selectHeatmapCell, .scroll, .resize,
             .toggleValueGrad, .beginGoTo, .beginSearch, .search, .searchNext, .nextTheme, .toggleHelp, .scrollHelp,
             .attentionMean, .nextSample, .previousSample, .jumpToNonFinite:
            return true
        default:
            return false
        }
    }
}
