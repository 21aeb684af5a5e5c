/// A shape some of whose dimensions may not be known yet (a lazy layer's weight is `[8, ?]` until its first input).
public struct LazyShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The dimensions; `nil` marks one that is not known yet.
    public var dimensions: [Int?]

    /// A shape with unknown dimensions marked `nil`.
    public init(_ dimensions: [Int?]) {
        self.dimensions = dimensions
    }

    /// A fully known shape.
    public init(known shape: [Int]) {
        self.dimensions = shape.map { Optional($0) }
    }

    /// True when every dimension is known.
    public var isComplete: Bool { dimensions.allSatisfy { $0 != nil } }

    /// The shape when every dimension is known.
    public var completeShape: [Int]? {
        isComplete ? dimensions.map { $0 ?? 0 } : nil
    }

    /// True when `shape` has the same rank and agrees with every known dimension.
    public func accepts(_ shape: [Int]) -> Bool {
        guard shape.count == dimensions.count else { return false }
        return zip(dimensions, shape).allSatisfy { known, actual in known == nil || known == actual }
    }

    /// `[8, ?]`.
    public var description: String {
        "[" + dimensions.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
    }
}
