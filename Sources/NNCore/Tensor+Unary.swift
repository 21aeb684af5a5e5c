import CNNKernels

extension Tensor {
    /// −x.
    public func neg() -> Tensor { unary("NegBackward0", { -$0 }, derivative: { g, _, _ in -g }) }

    /// |x| (gradient 0 at 0, like PyTorch).
    public func abs() -> Tensor {
        unary("AbsBackward0", { Swift.abs($0) }, derivative: { g, x, _ in x > 0 ? g : (x < 0 ? -g : 0) })
    }

    /// eˣ.
    public func exp() -> Tensor { unary("ExpBackward0", { _exp($0) }, derivative: { g, _, y in g * y }) }

    /// Natural logarithm.
    public func log() -> Tensor { unary("LogBackward0", { _log($0) }, derivative: { g, x, _ in g / x }) }

    /// Square root.
    public func sqrt() -> Tensor {
        unary("SqrtBackward0", { $0.squareRoot() }, derivative: { g, _, y in g / (2 * y) })
    }

    /// xᵖ.
    public func pow(_ p: Float) -> Tensor {
        unary("PowBackward0", { _pow($0, p) }, derivative: { g, x, _ in p == 0 ? 0 : g * p * _pow(x, p - 1) })
    }

    /// x².
    public func square() -> Tensor {
        unary("PowBackward0", { $0 * $0 }, derivative: { g, x, _ in 2 * x * g })
    }

    /// Limits every element to [min, max] (either bound may be nil); the gradient passes where x is inside.
    public func clamp(min: Float? = nil, max: Float? = nil) -> Tensor {
        let lo = min ?? -Float.infinity, hi = max ?? Float.infinity
        return unary("ClampBackward1", { Swift.min(Swift.max($0, lo), hi) },
                     derivative: { g, x, _ in x >= lo && x <= hi ? g : 0 })
    }

    /// max(x, 0); NaN stays NaN, as in PyTorch (a NaN activation must not silently turn into a clean 0).
    public func relu() -> Tensor {
        // Written out rather than through `unary`, whose stored derivative closure costs a call per element on
        // the hottest activation of the training loops. `x <= 0` is false for NaN, so NaN passes through.
        let out: Tensor
        if isContiguous {
            out = Tensor.uninitialized(shape)
            reluKernel(base, into: out.base, count: count)
        } else {
            out = mapValues { $0 <= 0 ? 0 : $0 }
        }
        if Tensor.recording(self) {
            // The output's storage rather than the output (whose node this closure is: a cycle) or a detached
            // view of it (an object per call); `out` is fresh, so its values start at the storage's first element.
            let y = out.storage, shape = out.shape
            out.record("ReluBackward0", [self]) { _, g in
                let gx = Tensor.uninitialized(shape)
                let gc = g.contiguousData()
                let o = gx.base, yp = y.pointer, gp = gc.base
                // PyTorch's threshold_backward: the gradient passes unless y <= 0, so it passes where y is NaN.
                reluGradientKernel(output: yp, gradient: gp, into: o, count: gx.count)
                return [gx]
            }
        }
        return out
    }

    /// min(max(x, 0), 6) (PyTorch's `relu6`, a hardtanh): the gradient passes strictly inside (0, 6).
    public func relu6() -> Tensor {
        guard isContiguous else {
            return unary("HardtanhBackward0", { $0.isNaN ? $0 : Swift.min(Swift.max($0, 0), 6) },
                         derivative: { g, x, _ in x > 0 && x < 6 ? g : 0 })
        }
        // MobileNetV2's activation: one C loop (the same values) instead of a closure per element.
        let out = Tensor.uninitialized(shape)
        cnn_relu6(base, out.base, count)
        if Tensor.recording(self) {
            let x = self.detach(), shape = self.shape
            out.record("HardtanhBackward0", [self]) { _, g in
                let gx = Tensor.uninitialized(shape)
                let xp = x.base, gc = g.contiguousData(), gp = gc.base, o = gx.base
                for i in 0 ..< gx.count { o[i] = xp[i] > 0 && xp[i] < 6 ? gp[i] : 0 }
                return [gx]
            }
        }
        return out
    }

    /// x · relu6(x + 3) / 6 (MobileNetV3's activation); PyTorch's derivative: 0 up to −3, x/3 + ½ strictly inside (−3, 3), 1 from 3.
    public func hardswish() -> Tensor {
        unary("HardswishBackward0", { x in x * Swift.min(Swift.max(x + 3, 0), 6) / 6 }, derivative: { g, x, _ in
            x <= -3 ? 0 : (x < 3 ? g * (x / 3 + 0.5) : g)
        })
    }

    /// relu6(x + 3) / 6; the gradient is 1/6 strictly inside (−3, 3).
    public func hardsigmoid() -> Tensor {
        unary("HardsigmoidBackward0", { x in Swift.min(Swift.max(x + 3, 0), 6) / 6 },
              derivative: { g, x, _ in x > -3 && x < 3 ? g / 6 : 0 })
    }

    /// x · σ(x) (SiLU, also called swish); derivative σ(x) · (1 + x · (1 − σ(x))).
    public func silu() -> Tensor {
        unary("SiluBackward0", { x in x / (1 + _exp(-x)) }, derivative: { g, x, _ in
            let s = 1 / (1 + _exp(-x))
            return g * s * (1 + x * (1 - s))
        })
    }

    /// 1 / (1 + e⁻ˣ).
    public func sigmoid() -> Tensor {
        unary("SigmoidBackward0", { 1 / (1 + _exp(-$0)) }, derivative: { g, _, y in g * y * (1 - y) })
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        unary("TanhBackward0", { _tanh($0) }, derivative: { g, _, y in g * (1 - y * y) })
    }

    /// Gaussian error linear unit, exact (erf) or with the tanh approximation (eight lanes at a time,
    /// `Tensor+GELUKernels.swift`).
    public func gelu(approximate: GELUApproximation = .none) -> Tensor {
        vectorGELU(approximate: approximate)
    }

    /// Elementwise maximum with broadcasting (ties split the gradient equally, like PyTorch).
    public func maximum(_ other: Tensor) throws -> Tensor {
        try extremum(other, name: "MaximumBackward0", op: "maximum") { $0 > $1 }
    }

    /// Elementwise minimum with broadcasting (ties split the gradient equally, like PyTorch).
    public func minimum(_ other: Tensor) throws -> Tensor {
        try extremum(other, name: "MinimumBackward0", op: "minimum") { $0 < $1 }
    }

    private func extremum(_ other: Tensor, name: String, op: String,
                          _ wins: @escaping (Float, Float) -> Bool) throws -> Tensor {
        let out = try Tensor.zipValues(self, other, op: op) { a, b in
            a.isNaN || b.isNaN ? .nan : (wins(a, b) ? a : (wins(b, a) ? b : a))
        }
        if Tensor.recording(self, other) {
            let a = detach(), b = other.detach()
            out.record(name, [self, other]) { node, g in
                // Weight of the first operand per element: 1 where it wins, ½ on ties, 0 where it loses.
                let weight = try Tensor.zipValues(a, b, op: op) { x, y in wins(x, y) ? 1 : (x == y ? 0.5 : 0) }
                let ga = try Tensor.zipValues(g, weight, op: op) { $0 * $1 }
                let gb = try Tensor.zipValues(g, weight, op: op) { $0 * (1 - $1) }
                return [node.needs(0) ? ga.sum(toShape: a.shape) : nil, node.needs(1) ? gb.sum(toShape: b.shape) : nil]
            }
        }
        return out
    }
}
