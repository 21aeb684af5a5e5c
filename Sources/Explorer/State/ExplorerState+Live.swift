import NNCore
import TerminalUI
import NNModules
import ModelFiles

extension ExplorerState {
    static let browseMessage = "no architecture: open a .nn spec with --weights to run the model"

    func requireLive(_ action: String) throws -> ModelSpec {
        guard let spec else { throw ExplorerError("\(action): \(Self.browseMessage)") }
        return spec
    }

    /// The module that runs (a spec's or a live session's), or an error naming `action` in browse mode.
    func requireRunnable(_ action: String) throws -> Module {
        guard let module = liveModule else { throw ExplorerError("\(action): \(Self.browseMessage)") }
        return module
    }

    func requireInput(_ action: String) throws -> Tensor {
        guard let input = run.input else {
            throw ExplorerError("\(action): the spec has no input batch (add `input = rand(…)` to the .nn file)")
        }
        return input
    }

    /// Runs a forward or backward pass, remembering its error (cleared on success) so module panes can say why
    /// the last pass left a call without output.
    func recordingFailure(_ pass: () throws -> Reaction) throws -> Reaction {
        do {
            let reaction = try pass()
            run.lastPassFailure = nil
            return reaction
        } catch {
            run.lastPassFailure = "\(error)"
            throw error
        }
    }

    func runForward() throws -> Reaction {
        if let session { return try runSession(session, backward: false) }
        let spec = try requireLive("forward")
        let x = try requireInput("forward")
        let output = try Autograd.noGrad { try spec.model(x) }
        var text = "forward: input \(shapeText(x.shape)) → output \(shapeText(output.shape))"
        // A loss that cannot be computed (no fitting target) is not an error for a plain forward pass.
        if let item = try? Autograd.noGrad({ try computeLoss(output: output, target: try run.target(for: output)).item() }) {
            run.forwardComputed(loss: item)
            text += ", \(run.loss.rawValue) loss \(NumberFormat.exact(item))" + singleClassNote(output)
        }
        if let problem = firstNonFinite(output: output) {
            setError(text + "; " + problem)
        } else {
            setStatus(text)
        }
        return [.redraw, .changedModel]
    }

    func runBackward() throws -> Reaction {
        if let session { return try runSession(session, backward: true) }
        let spec = try requireLive("backward")
        let x = try requireInput("backward")
        let output = try spec.model(x)
        let target = try run.target(for: output)
        let value = try computeLoss(output: output, target: target)
        try value.backward()
        let item = (try? value.item()) ?? .nan
        run.backwardAccumulated(loss: item)
        let count = run.backwardPassesSinceZero
        var text = "backward #\(count) since zero: \(run.loss.rawValue) loss \(NumberFormat.exact(item))"
            + singleClassNote(output)
        if run.targetIsGenerated && run.loss.needsTarget { text += " (generated target)" }
        if count > 1 { text += "; gradients accumulate (z zeroes)" }
        if let problem = firstNonFinite(output: output, loss: item, gradients: true) {
            setError(text + "; " + problem)
        } else {
            setStatus(text)
        }
        if detailView.showing == .value, selectedEntry?.kind == .parameter { detailView.showing = .gradient }
        return [.redraw, .changedModel]
    }

    func zeroGradients() throws -> Reaction {
        try requireRunnable("zero grads").zeroGrad()
        run.gradientsZeroed()
        setStatus("gradients zeroed: the next b starts a fresh sum")
        return [.redraw, .changedModel]
    }

    /// `s`: one step of NNModules' SGD (no momentum, no weight decay: `p -= lr·grad`) over the model's parameters.
    /// The parameters' values before and after are remembered so `u` can take the step back, unless that alone
    /// would exceed the undo budget (a large checkpoint trained live).
    func sgdStep() throws -> Reaction {
        let module = try requireRunnable("SGD step")
        let targets = entries.filter { $0.kind == .parameter && $0.tensor?.grad != nil }
        guard !targets.isEmpty else { throw ExplorerError("SGD step: no gradients yet: press b for a backward pass first") }
        let elements = targets.reduce(0) { $0 + ($1.tensor?.count ?? 0) }
        let undoable = elements <= history.budget
        // The update's size per parameter (‖lr·grad‖ beside ‖w‖) for the gradient flow's update-to-weight ratios.
        var updates = ParameterUpdates(learningRate: run.learningRate)
        for entry in targets {
            if let tensor = entry.tensor, let grad = tensor.grad { updates.record(entry: entry.id, weight: tensor, gradient: grad) }
        }
        let before = undoable ? targets.map { $0.tensor?.toArray() ?? [] } : []
        try SGD(module.parameters(), lr: run.learningRate).step()
        let changes = undoable ? zip(targets, before).map { entry, old in
            TensorChange(entry: entry.id, indices: nil, oldValues: old, newValues: entry.tensor?.toArray() ?? [])
        } : []
        lastUpdate = updates
        let text = "SGD step: \(targets.count) parameters -= \(NumberFormat.exact(run.learningRate)) × grad"
        var record = EditRecord(changes: changes, label: text)
        record.isTrainingStep = true
        run.stepsApplied(1)
        run.modelChanged()
        let kept = undoable && remember(record)
        let status = text + (kept ? " (u undoes)" : " (too large to undo)")
        if let problem = firstNonFinite() { setError(status + "; " + problem) } else { setStatus(status) }
        return [.redraw, .changedModel]
    }

    func drawNewInput() throws -> Reaction {
        // An ONNX graph draws a new random input; a transformer or image model takes typed input (r asks, as i).
        if let session { return session.drawsRandomInput ? try drawSessionRandomInput(session) : try beginInput() }
        _ = try requireLive("new input")
        let x = try requireInput("new input")
        let fresh = try run.drawNewInput(like: x, integralLimit: options.settings.integralInputLimit)
        setStatus("new input batch \(shapeText(fresh.shape)) (press f or b to run it)")
        return [.redraw, .changedModel]
    }

    func cycleLoss() throws -> Reaction {
        if let session {
            setStatus(try session.cycleLoss())
            return .redraw
        }
        _ = try requireLive("loss")
        run.cycleLoss()
        var text = "loss: \(run.loss.rawValue)" + (run.lastLoss != nil ? " (the loss shown is stale until f or b)" : "")
        if run.loss.needsTarget {
            if let output = spec?.model.lastForward?.lastRecord(at: "")?.output, (try? run.target(for: output)) != nil {
                text += run.targetIsGenerated ? " (target generated: the spec has none that fits)" : " (target from the spec)"
            }
        }
        setStatus(text)
        return .redraw
    }

    func changeLearningRate(up: Bool) throws -> Reaction {
        _ = try requireRunnable("learning rate")
        guard let next = run.stepLearningRate(up: up) else {
            throw ExplorerError("learning rate: already at the \(up ? "largest" : "smallest") step")
        }
        setStatus("learning rate \(next)")
        return .redraw
    }

    /// Why cross-entropy of a one-output model is 0: softmax over a single class is 1 whatever the logit.
    func singleClassNote(_ output: Tensor) -> String {
        guard run.loss == .crossEntropy, output.shape.last == 1 else { return "" }
        return " (one output: softmax over a single class is 1, so cross-entropy is always 0 and gives no gradient)"
    }

    /// The loss of `output` against `target` with the selected loss.
    func computeLoss(output: Tensor, target: Tensor?) throws -> Tensor {
        let selected: Loss = run.loss
        return try selected(output: output, target: target)
    }

    /// Names where non-finite values first appear: a parameter or buffer holding them, else the first module
    /// call (in call order: the innermost that finished first) whose output has them, else the loss, else the
    /// first gradient.
    /// `outputs`: look through the last forward pass's module outputs even without `output` (a live session's
    /// pass); the first bad one is kept for `N`.
    func firstNonFinite(output: Tensor? = nil, outputs: Bool = false, loss: Float? = nil, gradients: Bool = false,
                        values: Bool = true) -> String? {
        func hasNonFinite(_ tensor: Tensor) -> Bool { NonFiniteOutput.hasNonFinite(tensor) }
        let checksOutputs = output != nil || outputs
        if checksOutputs { nonFiniteOutput = NonFiniteOutput.find(capture: capture, trace: liveModule?.lastForward) }
        if values {
            for entry in entries {
                if let tensor = entry.tensor, hasNonFinite(tensor) {
                    return "non-finite values: \(entry.names.first ?? "?") holds NaN or Inf"
                }
            }
        }
        if checksOutputs {
            if let bad = nonFiniteOutput { return bad.statusText + " (\(bad.typeName)): N jumps there" }
            if let output, hasNonFinite(output) { return "non-finite values in the model's output" }
        }
        if let loss, !loss.isFinite { return "non-finite values: the loss is \(NumberFormat.exact(loss))" }
        if gradients {
            for entry in entries {
                if let grad = entry.tensor?.grad, hasNonFinite(grad) {
                    return "non-finite values first appear in the gradient of \(entry.names.first ?? "?")"
                }
            }
        }
        return nil
    }

    func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
