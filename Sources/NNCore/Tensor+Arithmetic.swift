extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try zipValues(a, b, op: "add") { $0 + $1 }
        if recording(a, b) {
            let sa = a.shape, sb = b.shape
            out.record("AddBackward0", [a, b]) { node, g in
                [node.needs(0) ? g.sum(toShape: sa) : nil, node.needs(1) ? g.sum(toShape: sb) : nil]
            }
        }
        return out
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try zipValues(a, b, op: "sub") { $0 - $1 }
        if recording(a, b) {
            let sa = a.shape, sb = b.shape
            out.record("SubBackward0", [a, b]) { node, g in
                [node.needs(0) ? g.sum(toShape: sa) : nil,
                 node.needs(1) ? g.mapValues { -$0 }.sum(toShape: sb) : nil]
            }
        }
        return out
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try zipValues(a, b, op: "mul") { $0 * $1 }
        if recording(a, b) {
            let sa = a.shape, sb = b.shape
            let savedA = a.detach(), savedB = b.detach()
            out.record("MulBackward0", [a, b]) { node, g in
                // d(a·b)/da = b, d(a·b)/db = a
                [node.needs(0) ? try zipValues(g, savedB, op: "mul") { $0 * $1 }.sum(toShape: sa) : nil,
                 node.needs(1) ? try zipValues(g, savedA, op: "mul") { $0 * $1 }.sum(toShape: sb) : nil]
            }
        }
        return out
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try zipValues(a, b, op: "div") { $0 / $1 }
        if recording(a, b) {
            let sa = a.shape, sb = b.shape
            let savedA = a.detach(), savedB = b.detach()
            out.record("DivBackward0", [a, b]) { node, g in
                // d(a/b)/da = 1/b, d(a/b)/db = -a/b²
                var gb: Tensor?
                if node.needs(1) {
                    let ratio = try zipValues(savedA, savedB, op: "div") { $0 / ($1 * $1) }
                    gb = try zipValues(g, ratio, op: "div") { -$0 * $1 }.sum(toShape: sb)
                }
                return [node.needs(0) ? try zipValues(g, savedB, op: "div") { $0 / $1 }.sum(toShape: sa) : nil, gb]
            }
        }
        return out
    }

    /// A unary elementwise op with its derivative rule `dx = rule(g, x, y)` fused into one pass.
    @inline(__always)
    func unary(_ name: String, _ f: (Float) -> Float,
               derivative: @escaping (_ g: Float, _ x: Float, _ y: Float) -> Float) -> Tensor {
        let out = mapValues(f)
        if Tensor.recording(self) {
            let x = self.detach(), y = out.detach()
            out.record(name, [self]) { _, g in
                let gx = Tensor.uninitialized(x.shape)
                let o = gx.base
                let xc = x.contiguousData(), yc = y.contiguousData(), gc = g.contiguousData()
                let xp = xc.base, yp = yc.base, gp = gc.base
                for i in 0..<gx.count { o[i] = derivative(gp[i], xp[i], yp[i]) }
                return [gx]
            }
        }
        return out
    }

    /// Adds a scalar to every element.
    public static func + (a: Tensor, s: Float) -> Tensor {
        a.unary("AddBackward0", { $0 + s }, derivative: { g, _, _ in g })
    }

    /// Adds a scalar to every element.
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }

    /// Subtracts a scalar from every element.
    public static func - (a: Tensor, s: Float) -> Tensor {
        a.unary("SubBackward0", { $0 - s }, derivative: { g, _, _ in g })
    }

    /// Subtracts every element from a scalar.
    public static func - (s: Float, a: Tensor) -> Tensor {
        a.unary("RsubBackward1", { s - $0 }, derivative: { g, _, _ in -g })
    }

    /// Multiplies every element by a scalar.
    public static func * (a: Tensor, s: Float) -> Tensor {
        a.unary("MulBackward0", { $0 * s }, derivative: { g, _, _ in g * s })
    }

    /// Multiplies every element by a scalar.
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }

    /// Divides every element by a scalar.
    public static func / (a: Tensor, s: Float) -> Tensor {
        a.unary("DivBackward0", { $0 / s }, derivative: { g, _, _ in g / s })
    }

    /// Divides a scalar by every element.
    public static func / (s: Float, a: Tensor) -> Tensor {
        a.unary("DivBackward0", { s / $0 }, derivative: { g, x, _ in -g * s / (x * x) })
    }

    /// Negation.
    public static prefix func - (a: Tensor) -> Tensor { a.neg() }

    /// Rebinds `a` to `a + b` (a new tensor recorded in the graph, like PyTorch's out-of-place ops).
    public static func += (a: inout Tensor, b: Tensor) throws { a = try a + b }
    /// Rebinds `a` to `a - b`.
    public static func -= (a: inout Tensor, b: Tensor) throws { a = try a - b }
    /// Rebinds `a` to `a * b`.
    public static func *= (a: inout Tensor, b: Tensor) throws { a = try a * b }
    /// Rebinds `a` to `a / b`.
    public static func /= (a: inout Tensor, b: Tensor) throws { a = try a / b }
    /// Rebinds `a` to `a + s`.
    public static func += (a: inout Tensor, s: Float) { a = a + s }
    /// Rebinds `a` to `a - s`.
    public static func -= (a: inout Tensor, s: Float) { a = a - s }
    /// Rebinds `a` to `a * s`.
    public static func *= (a: inout Tensor, s: Float) { a = a * s }
    /// Rebinds `a` to `a / s`.
    public static func /= (a: inout Tensor, s: Float) { a = a / s }
}
