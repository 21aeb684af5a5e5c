import NNCore

/// What `TrainingRun.run` produced: the layout of `nnview step`'s output file and of PyTorch's reference files.
public struct TrainingRunResult {
    /// The model's output on the first step.
    public var firstOutput: Tensor
    /// The loss of every step, in order.
    public var losses: [Float]
    /// Every name of `namedParameters()` with its gradient after the last step (nil if no gradient reached it).
    public var gradients: [(name: String, gradient: Tensor?)]
    /// Every name of `namedParameters()` with its value after the last step.
    public var parameters: [(name: String, value: Tensor)]
    /// Every name of `namedBuffers()` with its value after the last step (BatchNorm's running statistics).
    public var buffers: [(name: String, value: Tensor)] = []
}

/// Runs training steps the way the book (and `nnview step`) does: each step zeroes the gradients (unless
/// accumulating), runs forward, the loss and backward, then updates `p -= lr * grad` when `lr > 0`.
public enum TrainingRun {
    /// Runs `steps` steps of `model` on `input`. Throws for a bad step count or learning rate, a loss that needs a
    /// missing target, and anything forward or backward throws.
    public static func run(model: Module, input: Tensor, target: Tensor?, loss: Loss, steps: Int,
                           learningRate: Float, accumulate: Bool) throws -> TrainingRunResult {
        guard steps >= 1 else { throw ModuleError(.invalidArgument, "step: the number of steps must be at least 1, not \(steps)") }
        guard learningRate >= 0, learningRate.isFinite else {
            throw ModuleError(.invalidArgument, "step: the learning rate must be a finite number ≥ 0, not \(learningRate)")
        }
        var firstOutput: Tensor?
        var losses: [Float] = []
        for _ in 0 ..< steps {
            if !accumulate { model.zeroGrad() }
            let output = try model(input)
            if firstOutput == nil { firstOutput = output.detach() }
            let value = try loss(output: output, target: target)
            try value.backward()
            losses.append(try value.item())
            if learningRate > 0 {
                try SGD(model.parameters(), lr: learningRate).step()
            }
        }
        let named = model.namedParameters()
        return TrainingRunResult(
            firstOutput: firstOutput!,
            losses: losses,
            gradients: named.map { ($0.name, $0.tensor?.grad) },
            parameters: named.compactMap { entry in entry.tensor.map { (entry.name, $0) } },
            buffers: model.namedBuffers().map { ($0.name, $0.tensor) })
    }
}
