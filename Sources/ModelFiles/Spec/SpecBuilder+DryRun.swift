import ModulePaths
import NNCore
import NNModules

/// The dry forward: `input` through the model once, without recording gradients, so lazy layers take their
/// sizes and a shape that doesn't fit is reported before anyone presses a key.
extension SpecBuilder {
    func dryForward(_ model: Module, input: Tensor, statement: SpecStatement) throws(SpecError) -> Tensor {
        try checkDescribedActivations(model, input: input, statement: statement)
        try reserveLazyLayers(input: input)
        // A training-mode BatchNorm updates its running statistics on every forward; the dry runs are not the
        // user's, so the buffers are put back as they were.
        let buffers = model.namedBuffers().map { ($0.tensor, $0.tensor.clone()) }
        defer { for (tensor, saved) in buffers { try? tensor.copyData(from: saved) } }
        try checkActivations(model, input: input, statement: statement)
        do {
            return try Autograd.noGrad { try model(input) }
        } catch {
            throw locate(error, model: model, input: input, statement: statement)
        }
    }

    /// Every module's activation for the whole input, from the descriptions the modules were made from, checked
    /// against the budget before anything runs (a convolution's output and unfolded windows, an adaptive pool's
    /// output side, a network's hidden layer). The walk stops quietly where an input does not fit (the forward then
    /// reports it at that layer) or at a module no description made.
    private func checkDescribedActivations(_ model: Module, input: Tensor, statement: SpecStatement) throws(SpecError) {
        let batch = input.rank >= 2 ? input.shape[0] : 1
        let limit = limits.maxElements
        let walk = ActivationWalk { module, activation in
            let output = try CheckedSize.product(activation.output, layer: self.label(of: module))
            let largest = Swift.max(output, activation.largestIntermediate)
            guard largest > limit else { return }
            if module === model, batch > 1, largest / batch <= limit {
                throw self.error("the input's batch of \(batch) makes activations of \(largest / batch) elements per sample, "
                                 + "more than the limit of \(limit) elements in all", at: statement.value.location)
            }
            throw self.error("\(self.label(of: module)) could make activations of \(largest) elements for the input "
                             + "\(LazyShape(known: input.shape)), more than the limit of \(limit) elements",
                             at: self.location(of: module, statement: statement))
        }
        do {
            _ = try walk.output(of: model, input: input.shape)
        } catch let error as SpecError {
            throw error
        } catch let error as ActivationTooLarge {
            throw self.error("\(error.layer) could make activations too large to count for the input "
                             + "\(LazyShape(known: input.shape)); the limit is \(limit) elements", at: statement.value.location)
        } catch {
            // An input that does not fit, or a module no description made: the forward decides.
        }
    }

    private func label(of module: Module) -> String { moduleLabels[ObjectIdentifier(module)] ?? module.summary }

    private func location(of module: Module, statement: SpecStatement) -> SpecLocation {
        moduleLocations[ObjectIdentifier(module)] ?? statement.value.location
    }

    /// A lazy layer's input width is only known at the dry forward. It can be no larger than one sample of the
    /// input or the largest size written in the spec (every core layer's output width is one of those), so that
    /// bound is checked against the budget before the forward allocates the weights.
    private func reserveLazyLayers(input: Tensor) throws(SpecError) {
        guard !lazyTensors.isEmpty else { return }
        let sampleSize = input.shape.count <= 1 ? input.count : input.count / Swift.max(1, input.shape[0])
        let widthBound = Swift.max(sampleSize, largestIntegerLiteral())
        for tensor in lazyTensors {
            let (elements, overflow) = tensor.knownElements.multipliedReportingOverflow(by: widthBound)
            guard !overflow else {
                throw error("\(tensor.label) could need more elements than can be counted; the limit is "
                            + "\(limits.maxElements) elements", at: tensor.location)
            }
            try reserve(elements, what: "\(tensor.label) with inputs up to \(widthBound) wide", at: tensor.location)
        }
    }

    /// Activations grow with the batch, so one sample goes through first and the largest output it makes, times the
    /// batch size, is checked against the budget before the whole batch is run (`rand(55555550, 0)` into an MLP
    /// would otherwise allocate a [55555550, 256] activation).
    private func checkActivations(_ model: Module, input: Tensor, statement: SpecStatement) throws(SpecError) {
        guard input.rank >= 2, input.shape[0] > 1 else { return }
        let batch = input.shape[0]
        let largestPerSample: Int
        do {
            let sample = try input.slice(dim: 0, start: 0, end: 1)
            _ = try Autograd.noGrad { try model(sample) }
            largestPerSample = (model.lastForward?.records ?? []).compactMap { $0.outputShape?.reduce(1, *) }.max() ?? 0
        } catch {
            // Layers that reach across the batch (Flatten(0), LayerNorm over the batch dimension) cannot run on one
            // sample. Every core layer's output is at most the input times the largest size the spec writes
            // (Embedding appends a dimension; the others keep or shrink a row) and the book's networks are at most
            // 256 wide, so a batch within that bound simply runs whole; a larger one is reported as before.
            let (bound, overflow) = input.count.multipliedReportingOverflow(by: Swift.max(256, largestIntegerLiteral()))
            if !overflow, bound <= limits.maxElements { return }
            throw locate(error, model: model, input: input, statement: statement)
        }
        let (activations, overflow) = largestPerSample.multipliedReportingOverflow(by: batch)
        guard !overflow, activations <= limits.maxElements else {
            throw self.error("the input's batch of \(batch) makes activations of \(largestPerSample) elements per sample, "
                             + "more than the limit of \(limits.maxElements) elements in all", at: statement.value.location)
        }
    }

    private func largestIntegerLiteral() -> Int {
        var largest = 0
        var stack = document.statements.map(\.value)
        while let expression = stack.popLast() {
            switch expression {
            case .integer(let value, _): largest = Swift.max(largest, value)
            case .call(_, let positional, let keyword, _): stack += positional + keyword.map(\.value)
            case .list(let elements, _): stack += elements
            case .name, .float, .bool, .string: break
            }
        }
        return largest
    }

    /// Turns an error of the forward pass into one at the call that made the failing layer, naming its path in
    /// the model and the shape it was given. The path is found by replaying Sequential containers child by child.
    private func locate(_ failure: any Error, model: Module, input: Tensor, statement: SpecStatement) -> SpecError {
        var module = model
        var path = ""
        var x = input
        descend: while true {
            guard let sequential = module as? Sequential else { break }
            for (name, child) in sequential.childrenWithAllNames {
                do {
                    x = try Autograd.noGrad { try child(x) }
                } catch {
                    module = child
                    path = ModulePath.join(path, name)
                    continue descend
                }
            }
            break
        }
        let where_ = path.isEmpty ? "model" : "model.\(path)"
        let location = path.isEmpty ? statement.value.location
                                    : moduleLocations[ObjectIdentifier(module)] ?? statement.value.location
        return error("the input does not fit: \(where_) (\(module.summary)) given shape \(LazyShape(known: x.shape)): "
                     + "\(SpecBuilder.reason(failure))", at: location)
    }

    /// The message of a core error without repeating its type name.
    static func reason(_ failure: any Error) -> String {
        if let failure = failure as? ModuleError { return failure.message }
        if let failure = failure as? TensorError { return failure.description }
        return String(describing: failure)
    }

    /// The target must fit the loss: the output's shape for mse, class indices below the class count for
    /// cross-entropy.
    func checkTarget(_ target: Tensor, against output: Tensor, loss: Loss) throws(SpecError) {
        let location = document.statement(named: SpecDocument.ReservedName.target)?.value.location ?? .start
        switch loss {
        case .sum, .mean:
            return
        case .mse:
            guard target.shape == output.shape else {
                throw error("target of shape \(LazyShape(known: target.shape)) does not fit the model's output of shape "
                            + "\(LazyShape(known: output.shape)) for mse", at: location)
            }
        case .crossEntropy:
            // [batch, classes] against [batch], or one sample: [classes] against a scalar, as PyTorch allows.
            let fits = (output.shape.count == 2 && target.shape == [output.shape[0]])
                || (output.shape.count == 1 && target.shape.isEmpty)
            guard fits else {
                throw error("cross-entropy needs an output [batch, classes] and a target [batch] of class indices "
                            + "(or [classes] and a scalar); got output \(LazyShape(known: output.shape)) and target "
                            + "\(LazyShape(known: target.shape))", at: location)
            }
            let classes = output.shape[output.shape.count - 1]
            for value in target.toArray() where value < 0 || value >= Float(classes) || value.rounded() != value {
                throw error("target class \(value) is not an index in 0..<\(classes)", at: location)
            }
        }
    }
}
