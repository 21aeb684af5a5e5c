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
        guard let input else {
            throw ExplorerError("\(action): the spec has no input batch (add `input = rand(…)` to the .nn file)")
        }
        return input
    }

    func runForward() throws -> Reaction {
        if let session { return try runSession(session, backward: false) }
        let spec = try requireLive("forward")
        let x = try requireInput("forward")
        let output = try Autograd.noGrad { try spec.model(x) }
        var text = "forward: input \(shapeText(x.shape)) → output \(shapeText(output.shape))"
        // A loss that cannot be computed (no fitting target) is not an error for a plain forward pass.
        if let item = try? Autograd.noGrad({ try computeLoss(output: output, target: try targetFor(output)).item() }) {
            lastLoss = item
            lastLossIsStale = false
            text += ", \(loss.rawValue) loss \(NumberFormat.exact(item))" + singleClassNote(output)
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
        let target = try targetFor(output)
        let value = try computeLoss(output: output, target: target)
        try value.backward()
        backwardPassesSinceZero += 1
        let item = (try? value.item()) ?? .nan
        lastLoss = item
        lastLossIsStale = false
        lossHistory.append(item)
        var text = "backward #\(backwardPassesSinceZero) since zero: \(loss.rawValue) loss \(NumberFormat.exact(item))"
            + singleClassNote(output)
        if targetIsGenerated && loss.needsTarget { text += " (generated target)" }
        if backwardPassesSinceZero > 1 { text += "; gradients accumulate (z zeroes)" }
        if let problem = firstNonFinite(output: output, loss: item, gradients: true) {
            setError(text + "; " + problem)
        } else {
            setStatus(text)
        }
        if showing == .value, selectedEntry?.kind == .parameter { showing = .gradient }
        return [.redraw, .changedModel]
    }

    func zeroGradients() throws -> Reaction {
        try requireRunnable("zero grads").zeroGrad()
        backwardPassesSinceZero = 0
        setStatus("gradients zeroed: the next b starts a fresh sum")
        return [.redraw, .changedModel]
    }

    func sgdStep() throws -> Reaction {
        _ = try requireRunnable("SGD step")
        let targets = entries.filter { $0.kind == .parameter && $0.tensor?.grad != nil }
        guard !targets.isEmpty else { throw ExplorerError("SGD step: no gradients yet: press b for a backward pass first") }
        // Remember the parameters' old and new values so `u` can take the step back, unless that alone would
        // exceed the undo budget (a large checkpoint trained live).
        let elements = targets.reduce(0) { $0 + ($1.tensor?.count ?? 0) }
        let undoable = elements <= Self.undoBudget
        var changes: [TensorChange] = []
        var updates = ParameterUpdates(learningRate: learningRate)
        for entry in targets {
            guard let tensor = entry.tensor, let grad = tensor.grad else { continue }
            updates.record(entry: entry.id, weight: tensor, gradient: grad)
            let old = undoable ? tensor.toArray() : []
            try tensor.addScaledData(grad, scale: -learningRate)
            if undoable { changes.append(TensorChange(entry: entry.id, indices: nil, oldValues: old, newValues: tensor.toArray())) }
        }
        lastUpdate = updates
        let text = "SGD step: \(targets.count) parameters -= \(NumberFormat.exact(learningRate)) × grad"
        var record = EditRecord(changes: changes, label: text)
        record.isTrainingStep = true
        unsavedSteps += 1
        lastLossIsStale = lastLoss != nil
        let kept = undoable && remember(record)
        let status = text + (kept ? " (u undoes)" : " (too large to undo)")
        if let problem = firstNonFinite() { setError(status + "; " + problem) } else { setStatus(status) }
        return [.redraw, .changedModel]
    }

    func drawNewInput() throws -> Reaction {
        // A transformer or image model takes typed input: r and i both ask for it.
        if session != nil { return try beginInput() }
        _ = try requireLive("new input")
        let x = try requireInput("new input")
        let values = x.toArray()
        let integral = !values.isEmpty && values.allSatisfy { $0 >= 0 && $0 < 1_000_000 && $0 == $0.rounded() }
        let fresh: Tensor
        if integral {
            // Token ids or class indices: stay in the range the spec's batch used.
            let upper = max(1, Int(values.max() ?? 0) + 1)
            let ids = (0 ..< x.count).map { _ in Float(Int(generator.nextUniform() * Float(upper)) % upper) }
            fresh = try Tensor(ids, shape: x.shape)
        } else if values.contains(where: { $0 < 0 }) {
            fresh = Tensor.randn(x.shape, generator: &generator)
        } else {
            fresh = Tensor.rand(x.shape, generator: &generator)
        }
        input = fresh
        lastLossIsStale = lastLoss != nil
        setStatus("new input batch \(shapeText(fresh.shape)) (press f or b to run it)")
        return [.redraw, .changedModel]
    }

    func cycleLoss() throws -> Reaction {
        if let session {
            throw ExplorerError("L: the loss of a \(session.taskDescription) model is its \(session.lossName) loss (b runs it)")
        }
        _ = try requireLive("loss")
        let all = Loss.allCases
        loss = all[((all.firstIndex(of: loss) ?? 0) + 1) % all.count]
        lastLossIsStale = lastLoss != nil
        var text = "loss: \(loss.rawValue)" + (lastLoss != nil ? " (the loss shown is stale until f or b)" : "")
        if loss.needsTarget {
            if let output = spec?.model.lastForward?.lastRecord(at: "")?.output, (try? targetFor(output)) != nil {
                text += targetIsGenerated ? " (target generated: the spec has none that fits)" : " (target from the spec)"
            }
        }
        setStatus(text)
        return .redraw
    }

    func changeLearningRate(up: Bool) throws -> Reaction {
        _ = try requireRunnable("learning rate")
        var steps: [Float] = []
        var power: Float = 1e-8
        while power <= 100 {
            steps += [power, 2 * power, 5 * power]
            power *= 10
        }
        let next = up ? steps.first { $0 > learningRate * 1.0001 } : steps.last { $0 < learningRate * 0.9999 }
        guard let next else { throw ExplorerError("learning rate: already at the \(up ? "largest" : "smallest") step") }
        learningRate = next
        setStatus("learning rate \(next)")
        return .redraw
    }

    /// Why cross-entropy of a one-output model is 0: softmax over a single class is 1 whatever the logit.
    func singleClassNote(_ output: Tensor) -> String {
        guard loss == .crossEntropy, output.shape.last == 1 else { return "" }
        return " (one output: softmax over a single class is 1, so cross-entropy is always 0 and gives no gradient)"
    }

    /// The loss of `output` against `target` with the selected loss.
    func computeLoss(output: Tensor, target: Tensor?) throws -> Tensor {
        let selected: Loss = loss
        return try selected(output: output, target: target)
    }

    /// The target for the selected loss: the spec's if it fits the output, else one generated with the right
    /// shape (noted in the status line).
    func targetFor(_ output: Tensor) throws -> Tensor? {
        targetIsGenerated = false
        switch loss {
        case .sum, .mean:
            return nil
        case .mse:
            if let target, target.shape == output.shape { return target }
            targetIsGenerated = true
            var seeded = SeededGenerator(seed: (options.seed ?? spec?.seed ?? 0) &+ 99)
            return Tensor.randn(output.shape, generator: &seeded)
        case .crossEntropy:
            guard output.rank == 1 || output.rank == 2, let classes = output.shape.last, classes > 0 else {
                throw ExplorerError("cross-entropy needs logits of shape [N, C] or [C], the output is \(shapeText(output.shape))")
            }
            let wanted = output.rank == 2 ? [output.shape[0]] : []
            if let target, target.shape == wanted,
               target.toArray().allSatisfy({ $0 >= 0 && $0 < Float(classes) && $0 == $0.rounded() }) {
                return target
            }
            targetIsGenerated = true
            var seeded = SeededGenerator(seed: (options.seed ?? spec?.seed ?? 0) &+ 101)
            let count = wanted.first ?? 1
            let ids = (0 ..< count).map { _ in Float(Int(seeded.nextUniform() * Float(classes)) % classes) }
            return try Tensor(ids, shape: wanted)
        }
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
