import NNCore

/// The tensor makers of the language: `rand`, `randn`, `zeros`, `ones` with a shape, `randint(low, high, shape…)`
/// for class indices, and literal lists (`[1, 0, 3]`, `[[0.5], [1.0]]`).
extension SpecBuilder {
    /// Names that make tensors instead of modules.
    static let tensorMakers = ["rand", "randn", "zeros", "ones", "randint"]

    func makeTensor(_ maker: String, positional: [SpecExpression], keyword: [SpecKeywordArgument],
                    location: SpecLocation) throws(SpecError) -> Tensor {
        // `size=` is the one keyword these makers take, as in `torch.randint(0, 10, size=(4,))`.
        if let extra = keyword.first(where: { $0.name != "size" }) {
            throw error("\(maker) takes no keyword arguments but size=, got '\(extra.name)'", at: extra.location)
        }
        var positional = positional
        if let size = keyword.first {
            guard positional.count == (maker == "randint" ? 2 : 0) else {
                throw error("\(maker): the shape is given both by position and by size=", at: size.location)
            }
            positional.append(size.value)
        }
        var sizes = positional
        var low = 0
        var high = 0
        if maker == "randint" {
            guard positional.count >= 3 else {
                throw error("randint expects (low, high, size…), e.g. randint(0, 10, 2); got \(positional.count) "
                            + "argument\(positional.count == 1 ? "" : "s")", at: location)
            }
            low = try integerArgument(positional[0], of: maker, role: "low")
            high = try integerArgument(positional[1], of: maker, role: "high")
            guard low < high else {
                throw error("randint needs low < high, got low \(low) and high \(high)", at: positional[1].location)
            }
            sizes = Array(positional.dropFirst(2))
        }
        let shape = try shapeArguments(sizes, of: maker, location: location)
        let count = try reserveElements(for: shape, what: "\(maker)(\(shape.map(String.init).joined(separator: ", ")))",
                                        at: location)
        switch maker {
        case "rand": return Tensor.rand(shape, generator: &generator)
        case "randn": return Tensor.randn(shape, generator: &generator)
        case "zeros": return Tensor.zeros(shape)
        case "ones": return Tensor.ones(shape)
        default:
            // Spans up to 2^63 fit UInt64, so the draw cannot overflow.
            let span = UInt64(high &- low)
            var values = [Float]()
            values.reserveCapacity(count)
            for _ in 0..<count {
                values.append(Float(low &+ Int(generator.next() % span)))
            }
            return tensor(values, shape: shape)
        }
    }

    /// A shape written either as sizes (`rand(2, 4)`) or as one list (`rand([2, 4])`).
    private func shapeArguments(_ arguments: [SpecExpression], of maker: String,
                                location: SpecLocation) throws(SpecError) -> [Int] {
        if arguments.count == 1, case .list(let elements, _) = arguments[0] {
            // `rand(())` is a scalar, as `torch.rand(())` is; only an explicit empty shape means that.
            if elements.isEmpty { return [] }
            return try shapeArguments(elements, of: maker, location: arguments[0].location)
        }
        guard !arguments.isEmpty else {
            throw error("\(maker) needs a shape, e.g. \(maker)(2, 4)", at: location)
        }
        var shape: [Int] = []
        for argument in arguments {
            let size = try integerArgument(argument, of: maker, role: "size")
            guard size >= 0 else {
                throw error("\(maker): sizes cannot be negative, got \(size)", at: argument.location)
            }
            shape.append(size)
        }
        return shape
    }

    /// An integer argument; integral floats such as `1e6` count, so that absurd sizes meet the size limit's
    /// message rather than a type complaint.
    func integerArgument(_ expression: SpecExpression, of callee: String, role: String) throws(SpecError) -> Int {
        switch try evaluate(expression) {
        case .integer(let value):
            return value
        case .float(let value) where value.rounded() == value && abs(value) < 9.0e18:
            return Int(value)
        case let other:
            throw error("\(callee) expects an integer \(role), got \(other.kindDescription)", at: expression.location)
        }
    }

    /// A tensor from a literal list: numbers (class indices or values), nested rectangularly for more dimensions.
    func makeTensor(fromList expression: SpecExpression) throws(SpecError) -> Tensor {
        var values: [Float] = []
        var shape: [Int] = []
        try flatten(expression, depth: 0, shape: &shape, into: &values)
        _ = try reserveElements(for: shape, what: "a literal list", at: expression.location)
        return tensor(values, shape: shape)
    }

    private func flatten(_ expression: SpecExpression, depth: Int, shape: inout [Int],
                         into values: inout [Float]) throws(SpecError) {
        switch try evaluate(expression) {
        case .integer(let value):
            guard depth == shape.count else {
                throw error("a list's elements must all be lists or all numbers, with equal lengths",
                            at: expression.location)
            }
            values.append(Float(value))
        case .float(let value):
            guard depth == shape.count else {
                throw error("a list's elements must all be lists or all numbers, with equal lengths",
                            at: expression.location)
            }
            values.append(Float(value))
        case .list:
            guard case .list(let elements, _) = expression else {
                throw error("expected a literal list of numbers", at: expression.location)
            }
            if depth == shape.count, values.isEmpty {
                shape.append(elements.count)
            } else if depth >= shape.count || shape[depth] != elements.count {
                throw error("a list's elements must all be lists or all numbers, with equal lengths",
                            at: expression.location)
            }
            for element in elements {
                try flatten(element, depth: depth + 1, shape: &shape, into: &values)
            }
        case let other:
            throw error("expected a number in the list, got \(other.kindDescription)", at: expression.location)
        }
    }

    /// Builds a tensor whose value count was checked against its shape by the caller.
    private func tensor(_ values: [Float], shape: [Int]) -> Tensor {
        do {
            return try Tensor(values, shape: shape)
        } catch {
            preconditionFailure("SpecBuilder: \(values.count) values for shape \(shape): \(error)")
        }
    }
}
