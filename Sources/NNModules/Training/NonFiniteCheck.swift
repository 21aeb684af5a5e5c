import NNCore

/// Which kind of non-finite number was found.
public enum NonFiniteKind: String, Sendable, Equatable {
    /// Not a number (0/0, ∞−∞, a NaN read from a file).
    case nan
    /// Plus or minus infinity (an overflow, x/0).
    case inf
}

/// The first non-finite element found in a module: which tensor, which element, and what it was.
public struct NonFiniteFinding: Sendable, Equatable, CustomStringConvertible {
    /// The parameter's dotted name from `namedParameters()` (`0.weight`).
    public let name: String
    /// NaN or ±Inf.
    public let kind: NonFiniteKind
    /// Whether the value is in the parameter's gradient rather than in the parameter itself.
    public let isGradient: Bool
    /// Row-major index of the first non-finite element inside that tensor.
    public let elementIndex: Int
    /// The value found (NaN, +Inf or -Inf), for messages.
    public let value: Float

    /// A finding; `kind` should agree with `value` (NaN or ±Inf).
    public init(name: String, kind: NonFiniteKind, isGradient: Bool, elementIndex: Int, value: Float) {
        self.name = name
        self.kind = kind
        self.isGradient = isGradient
        self.elementIndex = elementIndex
        self.value = value
    }

    /// `0.weight.grad: NaN at element 3`, the form the status line shows.
    public var description: String {
        let what = kind == .nan ? "NaN" : (value < 0 ? "-Inf" : "Inf")
        return "\(name)\(isGradient ? ".grad" : ""): \(what) at element \(elementIndex)"
    }
}

/// Finds NaN and Inf in a model's numbers, so a step or a loaded file that produced them is reported by name
/// instead of silently spreading (one NaN in a weight makes every later output NaN).
public enum NonFiniteCheck {
    /// The first non-finite element of `module`: every parameter's values are scanned first, in
    /// `namedParameters()` order, then every gradient in the same order. Values come first because a bad weight
    /// explains a bad gradient, not the other way round. Nil when everything is finite (lazy, uninitialised
    /// parameters and missing gradients are skipped).
    public static func firstNonFinite(in module: Module) -> NonFiniteFinding? {
        let named = module.namedParameters()
        for entry in named {
            guard let tensor = entry.tensor, let (index, value) = firstNonFinite(in: tensor) else { continue }
            return finding(entry.name, index, value, isGradient: false)
        }
        for entry in named {
            guard let gradient = entry.tensor?.grad, let (index, value) = firstNonFinite(in: gradient) else { continue }
            return finding(entry.name, index, value, isGradient: true)
        }
        return nil
    }

    /// The row-major index and value of the first NaN or ±Inf element of `tensor`, or nil if all are finite.
    public static func firstNonFinite(in tensor: Tensor) -> (index: Int, value: Float)? {
        // A view may be strided; its contiguous copy has the row-major order the index refers to.
        let dense = tensor.isContiguous ? tensor : tensor.contiguous()
        // A contiguous tensor always grants its buffer, so the fallback is never taken.
        return (try? dense.withUnsafeBufferPointer { elements -> (index: Int, value: Float)? in
            for index in elements.indices where !elements[index].isFinite {
                return (index, elements[index])
            }
            return nil
        }) ?? nil
    }

    private static func finding(_ name: String, _ index: Int, _ value: Float, isGradient: Bool) -> NonFiniteFinding {
        NonFiniteFinding(name: name, kind: value.isNaN ? .nan : .inf, isGradient: isGradient, elementIndex: index,
                         value: value)
    }
}
