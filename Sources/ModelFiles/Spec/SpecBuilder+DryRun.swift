import ModulePaths
import NNCore
import NNModules

/// The dry forward: `input` through the model once, without recording gradients, so lazy layers take their
/// sizes and a shape that doesn't fit is reported before anyone presses a key.
extension SpecBuilder {
    func dryForward(_ model: Module, input: Tensor, statement: SpecStatement) throws(SpecError) -> Tensor {
        try reserveLazyLayers(input: input)
        try checkWindowActivations(input: input)
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

    /// Convolutions and pools over an image [N, C, H, W]: no side of any activation can exceed the input's longest
    /// side plus every padding on the way (or an adaptive pool's output side), and no activation has more
    /// channels than the input or the widest layer, so each layer's output (times the batch) and each
    /// convolution's unfolded patch matrix are checked against the budget before anything runs.
    private func checkWindowActivations(input: Tensor) throws(SpecError) {
        guard !windowLayers.isEmpty, input.rank >= 3 else { return }
        let batch = input.rank >= 4 ? input.shape[0] : 1
        var side = Swift.max(input.shape[input.rank - 1], input.shape[input.rank - 2], windowLayers.map(\.fixedSide).max() ?? 0)
        var channels = input.shape[input.rank - 3]
        for layer in windowLayers {
            side = side.addingReportingOverflow(layer.growth).overflow ? Int.max : side + layer.growth
            channels = Swift.max(channels, layer.channels)
        }
        for layer in windowLayers {
            let (plane, planeOverflow) = side.multipliedReportingOverflow(by: side)
            let (output, outputOverflow) = (layer.channels > 0 ? layer.channels : channels).multipliedReportingOverflow(by: plane)
            let (total, totalOverflow) = output.multipliedReportingOverflow(by: batch)
            let (patch, patchOverflow) = layer.patch.multipliedReportingOverflow(by: plane)
            guard !planeOverflow, !outputOverflow, !totalOverflow, !patchOverflow, side >= 0,
                  total <= limits.maxElements, patch <= limits.maxElements else {
                throw error("\(layer.what) could make activations of more than the limit of \(limits.maxElements) "
                            + "elements for the input \(LazyShape(known: input.shape)) (sides up to \(side), up to "
                            + "\(channels) channels)", at: layer.location)
            }
        }
    }

    /// A lazy layer's input width is only known at the dry forward. It can be no larger than one sample of the
    /// input or the largest size written in the spec (every core layer's output width is one of those), so that
    /// bound is checked against the budget before the forward allocates the weights.
    private func reserveLazyLayers(input: Tensor) throws(SpecError) {
        guard !lazyOutputWidths.isEmpty else { return }
        let sampleSize = input.shape.count <= 1 ? input.count : input.count / Swift.max(1, input.shape[0])
        let widthBound = Swift.max(sampleSize, largestIntegerLiteral())
        for (width, location) in lazyOutputWidths {
            let (weights, overflow) = width.multipliedReportingOverflow(by: widthBound)
            guard !overflow else {
                throw error("LazyLinear(\(width)) could need more elements than can be counted; the limit is "
                            + "\(limits.maxElements) elements", at: location)
            }
            try reserve(weights &+ width, what: "LazyLinear(\(width)) with inputs up to \(widthBound) wide", at: location)
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
