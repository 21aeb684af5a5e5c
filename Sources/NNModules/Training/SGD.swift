import NNCore

/// Stochastic gradient descent with momentum and weight decay, with PyTorch's update rule:
/// `g = grad + weightDecay·p`; with momentum `buf = momentum·buf + g` (`buf = g` the first time) and `g = buf`;
/// then `p -= lr·g`, in place and without recording a graph.
public final class SGD {
    /// The parameters updated by `step()`; lazy ones are skipped until they are initialised.
    public let parameters: [ParameterSlot]
    /// The step size.
    public var learningRate: Float
    /// The momentum factor (0 for plain SGD).
    public let momentum: Float
    /// The L2 penalty added to each gradient.
    public let weightDecay: Float
    /// Momentum buffers per parameter tensor.
    private var momentumBuffers: [ObjectIdentifier: Tensor] = [:]

    /// An optimiser over `parameters` (usually `net.parameters()`); throws for a negative rate, momentum or decay.
    public init(_ parameters: [ParameterSlot], lr: Float, momentum: Float = 0, weightDecay: Float = 0) throws {
        for (name, value) in [("learning rate", lr), ("momentum", momentum), ("weight decay", weightDecay)] {
            guard value >= 0 && value.isFinite else {
                throw ModuleError(.invalidArgument, "SGD: invalid \(name) \(value)")
            }
        }
        // A tensor listed twice would be stepped twice; PyTorch refuses that, we keep the first.
        var seen = Set<ObjectIdentifier>()
        self.parameters = parameters.filter { seen.insert($0.identity).inserted }
        self.learningRate = lr
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// An optimiser over plain tensors (each becomes a trainable leaf).
    public convenience init(tensors: [Tensor], lr: Float, momentum: Float = 0, weightDecay: Float = 0) throws {
        let slots = tensors.enumerated().map { ParameterSlot($1, name: String($0), owner: "SGD") }
        try self.init(slots, lr: lr, momentum: momentum, weightDecay: weightDecay)
    }

    /// Updates every parameter that has a gradient, in place.
    public func step() throws {
        try Autograd.noGrad {
            for slot in parameters {
                guard let parameter = slot.tensorIfInitialised, let grad = parameter.grad else { continue }
                if parameter.isContiguous && grad.isContiguous && grad.shape == parameter.shape {
                    try stepInPlace(parameter, grad)
                } else {
                    try stepThroughOps(parameter, grad)
                }
            }
        }
    }

    /// The update as one pass over contiguous memory: no temporaries. Performs exactly the operations of
    /// `stepThroughOps` in the same order (`g + p·wd`, `buf·m + g`, `p - g·lr`), so results are bit-identical.
    private func stepInPlace(_ parameter: Tensor, _ grad: Tensor) throws {
        let lr = learningRate, decay = weightDecay, momentum = momentum
        var buffer: Tensor?
        var firstMomentumStep = false
        if momentum != 0 {
            let key = ObjectIdentifier(parameter)
            if let existing = momentumBuffers[key] {  // always contiguous: made by `zeros` or `clone`
                buffer = existing
            } else {
                let fresh = Tensor.zeros(parameter.shape)
                momentumBuffers[key] = fresh
                buffer = fresh
                firstMomentumStep = true
            }
        }
        try parameter.withUnsafeMutableBufferPointer { p in
            try grad.withUnsafeBufferPointer { g in
                if let buffer {
                    try buffer.withUnsafeMutableBufferPointer { b in
                        for i in 0 ..< p.count {
                            var d = g[i]
                            if decay != 0 { d = d + p[i] * decay }
                            d = firstMomentumStep ? d : b[i] * momentum + d
                            b[i] = d
                            p[i] = p[i] - d * lr
                        }
                    }
                } else if decay != 0 {
                    for i in 0 ..< p.count { p[i] = p[i] - (g[i] + p[i] * decay) * lr }
                } else {
                    for i in 0 ..< p.count { p[i] = p[i] - g[i] * lr }
                }
            }
        }
    }

    /// The update through tensor ops, for non-contiguous parameters or gradients.
    private func stepThroughOps(_ parameter: Tensor, _ grad: Tensor) throws {
        var direction = grad
        if weightDecay != 0 {
            direction = try direction + parameter * weightDecay
        }
        if momentum != 0 {
            let key = ObjectIdentifier(parameter)
            if let buffer = momentumBuffers[key] {
                let updated = try buffer * momentum + direction
                try buffer.copyData(from: updated)
                direction = buffer
            } else {
                let buffer = direction.clone()
                momentumBuffers[key] = buffer
                direction = buffer
            }
        }
        try parameter.copyData(from: try parameter - direction * learningRate)
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() {
        for slot in parameters {
            slot.tensorIfInitialised?.zeroGrad()
        }
    }
}
