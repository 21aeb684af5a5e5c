extension Tensor {
    private func compare(_ other: Tensor, _ op: String, _ f: (Float, Float) -> Bool) throws -> Tensor {
        try Tensor.zipValues(self, other, op: op, dtype: .bool) { f($0, $1) ? 1 : 0 }
    }

    private func compare(_ s: Float, _ f: (Float, Float) -> Bool) -> Tensor {
        mapValues(dtype: .bool) { f($0, s) ? 1 : 0 }
    }

    /// Elementwise `==` as a Bool tensor (broadcasting).
    public func eq(_ other: Tensor) throws -> Tensor { try compare(other, "eq", ==) }
    /// Elementwise `!=` as a Bool tensor (broadcasting).
    public func ne(_ other: Tensor) throws -> Tensor { try compare(other, "ne", !=) }
    /// Elementwise `<` as a Bool tensor (broadcasting).
    public func lt(_ other: Tensor) throws -> Tensor { try compare(other, "lt", <) }
    /// Elementwise `<=` as a Bool tensor (broadcasting).
    public func le(_ other: Tensor) throws -> Tensor { try compare(other, "le", <=) }
    /// Elementwise `>` as a Bool tensor (broadcasting).
    public func gt(_ other: Tensor) throws -> Tensor { try compare(other, "gt", >) }
    /// Elementwise `>=` as a Bool tensor (broadcasting).
    public func ge(_ other: Tensor) throws -> Tensor { try compare(other, "ge", >=) }

    /// Elementwise `== s` as a Bool tensor.
    public func eq(_ s: Float) -> Tensor { compare(s, ==) }
    /// Elementwise `!= s` as a Bool tensor.
    public func ne(_ s: Float) -> Tensor { compare(s, !=) }
    /// Elementwise `< s` as a Bool tensor.
    public func lt(_ s: Float) -> Tensor { compare(s, <) }
    /// Elementwise `<= s` as a Bool tensor.
    public func le(_ s: Float) -> Tensor { compare(s, <=) }
    /// Elementwise `> s` as a Bool tensor.
    public func gt(_ s: Float) -> Tensor { compare(s, >) }
    /// Elementwise `>= s` as a Bool tensor.
    public func ge(_ s: Float) -> Tensor { compare(s, >=) }

    /// Elementwise `<` as a Bool tensor.
    public static func < (a: Tensor, b: Tensor) throws -> Tensor { try a.lt(b) }
    /// Elementwise `<=` as a Bool tensor.
    public static func <= (a: Tensor, b: Tensor) throws -> Tensor { try a.le(b) }
    /// Elementwise `>` as a Bool tensor.
    public static func > (a: Tensor, b: Tensor) throws -> Tensor { try a.gt(b) }
    /// Elementwise `>=` as a Bool tensor.
    public static func >= (a: Tensor, b: Tensor) throws -> Tensor { try a.ge(b) }
    /// Elementwise `< s` as a Bool tensor.
    public static func < (a: Tensor, s: Float) -> Tensor { a.lt(s) }
    /// Elementwise `<= s` as a Bool tensor.
    public static func <= (a: Tensor, s: Float) -> Tensor { a.le(s) }
    /// Elementwise `> s` as a Bool tensor.
    public static func > (a: Tensor, s: Float) -> Tensor { a.gt(s) }
    /// Elementwise `>= s` as a Bool tensor.
    public static func >= (a: Tensor, s: Float) -> Tensor { a.ge(s) }

    /// The value of a one-element tensor as a Swift Bool in control flow (PyTorch's `bool(t)`); more than one
    /// element is an error, as in PyTorch.
    public func boolValue(_ op: String = "bool") throws -> Bool {
        guard count == 1 else {
            throw TensorError(op, "Boolean value of Tensor with more than one value is ambiguous (shape \(shapeText(shape)))")
        }
        return base[0] != 0
    }

    /// `a < s` for a one-element tensor in Swift control flow: `while try x.sum() < 1 { … }`.
    @_disfavoredOverload
    public static func < (a: Tensor, s: Float) throws -> Bool { try a.lt(s).boolValue("<") }
    /// `a <= s` for a one-element tensor in Swift control flow.
    @_disfavoredOverload
    public static func <= (a: Tensor, s: Float) throws -> Bool { try a.le(s).boolValue("<=") }
    /// `a > s` for a one-element tensor in Swift control flow: `while try X.abs().sum() > 1 { X /= 2 }`.
    @_disfavoredOverload
    public static func > (a: Tensor, s: Float) throws -> Bool { try a.gt(s).boolValue(">") }
    /// `a >= s` for a one-element tensor in Swift control flow.
    @_disfavoredOverload
    public static func >= (a: Tensor, s: Float) throws -> Bool { try a.ge(s).boolValue(">=") }

    /// Whether every element is non-zero (true for an empty tensor).
    public func all() -> Bool { toArray().allSatisfy { $0 != 0 } }

    /// Whether any element is non-zero.
    public func any() -> Bool { toArray().contains { $0 != 0 } }

    /// Whether both tensors have the same shape and equal elements.
    public func equal(_ other: Tensor) -> Bool { shape == other.shape && toArray() == other.toArray() }

    /// Whether shapes match and every |a − b| ≤ atol + rtol·|b| (PyTorch's `allclose`).
    public func allClose(_ other: Tensor, rtol: Float = 1e-5, atol: Float = 1e-8) -> Bool {
        guard shape == other.shape else { return false }
        return zip(toArray(), other.toArray()).allSatisfy { a, b in
            a == b || Swift.abs(a - b) <= atol + rtol * Swift.abs(b)
        }
    }
}
