import ModelFiles
import NNCore

/// Elementwise ops: arithmetic, comparisons, logic, activations and casts, with numpy broadcasting. Float
/// tensors go through NNCore (and so get their backward); integer tensors are computed exactly.
extension ONNXOperators {
    static let elementwise: [String: Operator] = [
        "Add": { try arithmetic($0, float: { try $0 + $1 }, integer: { $0 &+ $1 }) },
        "Sub": { try arithmetic($0, float: { try $0 - $1 }, integer: { $0 &- $1 }) },
        "Mul": { try arithmetic($0, float: { try $0 * $1 }, integer: { $0 &* $1 }) },
        "Div": { context in
            try arithmetic(context, float: { try $0 / $1 }, integer: { a, b in
                guard b != 0 else { throw context.error("integer division by zero") }
                return a / b
            })
        },
        "Mod": { context in
            let fmod = try context.int("fmod", default: 0) == 1
            return try arithmetic(context, float: { _, _ in throw context.error("Mod of float tensors is not supported") },
                                  integer: { a, b in
                guard b != 0 else { throw context.error("integer modulo by zero") }
                let r = a % b
                // fmod=0 takes the divisor's sign, as Python's %.
                return !fmod && r != 0 && (r < 0) != (b < 0) ? r + b : r
            })
        },
        "Max": { try variadic($0, float: { try $0.maximum($1) }, integer: { max($0, $1) }) },
        "Min": { try variadic($0, float: { try $0.minimum($1) }, integer: { min($0, $1) }) },
        "Sum": { try variadic($0, float: { try $0 + $1 }, integer: { $0 &+ $1 }) },
        "Pow": pow,
        "Equal": { try comparison($0, float: { try $0.eq($1) }, integer: ==) },
        "Less": { try comparison($0, float: { try $0.lt($1) }, integer: <) },
        "LessOrEqual": { try comparison($0, float: { try $0.le($1) }, integer: <=) },
        "Greater": { try comparison($0, float: { try $0.gt($1) }, integer: >) },
        "GreaterOrEqual": { try comparison($0, float: { try $0.ge($1) }, integer: >=) },
        "And": { try logic($0) { $0 && $1 } },
        "Or": { try logic($0) { $0 || $1 } },
        "Xor": { try logic($0) { $0 != $1 } },
        "Not": { context in
            let x = try context.integer(0)
            return [.integer(IntegerTensor(shape: x.shape, values: x.values.map { $0 == 0 ? 1 : 0 }, dataType: .bool))]
        },
        "Where": whereOp,
        "IsNaN": { context in [.integer(try floatPredicate(context) { $0.isNaN })] },
        "IsInf": { context in
            let positive = try context.int("detect_positive", default: 1) == 1
            let negative = try context.int("detect_negative", default: 1) == 1
            return [.integer(try floatPredicate(context) { $0.isInfinite && ($0 > 0 ? positive : negative) })]
        },
        "Neg": { try unary($0, float: { $0.neg() }, integer: { 0 &- $0 }) },
        "Abs": { try unary($0, float: { $0.abs() }, integer: { $0 == Int.min ? $0 : Swift.abs($0) }) },
        "Sign": { try unary($0, float: { x in try constantMap(x) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } },
                            integer: { $0.signum() }) },
        "Sqrt": { [.float(try $0.float(0).sqrt())] },
        "Reciprocal": { [.float(1 / (try $0.float(0)))] },
        "Exp": { [.float(try $0.float(0).exp())] },
        "Log": { [.float(try $0.float(0).log())] },
        "Erf": { [.float(try $0.float(0).erf())] },
        "Cos": { [.float(try $0.float(0).cos())] },
        "Sin": { [.float(try $0.float(0).sin())] },
        "Tanh": { [.float(try $0.float(0).tanh())] },
        "Sigmoid": { [.float(try $0.float(0).sigmoid())] },
        "Relu": { try unary($0, float: { $0.relu() }, integer: { max($0, 0) }) },
        "LeakyRelu": { context in
            let x = try context.float(0)
            let alpha = try context.float("alpha", default: 0.01)
            return [.float(try NNCore.where(condition: x.detach().gt(0), x, x * alpha))]
        },
        "PRelu": { context in
            let x = try context.float(0), slope = try context.float(1)
            return [.float(try NNCore.where(condition: x.detach().gt(0), x, x * slope))]
        },
        "Elu": { context in
            let x = try context.float(0)
            let alpha = try context.float("alpha", default: 1)
            return [.float(try NNCore.where(condition: x.detach().gt(0), x, (x.exp() - 1) * alpha))]
        },
        "Selu": { context in
            let x = try context.float(0)
            let alpha = try context.float("alpha", default: 1.67326319217681884765625)
            let gamma = try context.float("gamma", default: 1.05070102214813232421875)
            return [.float(try NNCore.where(condition: x.detach().gt(0), x * gamma, (x.exp() - 1) * (alpha * gamma)))]
        },
        "HardSigmoid": { context in
            let alpha = try context.float("alpha", default: 0.2), beta = try context.float("beta", default: 0.5)
            return [.float((try context.float(0) * alpha + beta).clamp(min: 0, max: 1))]
        },
        "HardSwish": { context in
            let x = try context.float(0)
            return [.float(try x * (x * (1 / 6) + 0.5).clamp(min: 0, max: 1))]
        },
        "Softplus": { [.float((try $0.float(0).exp() + 1).log())] },
        "Gelu": { context in
            let approximation = try context.string("approximate", default: "none")
            guard approximation == "none" || approximation == "tanh" else {
                throw context.error("approximate=\(approximation) is not one of none, tanh")
            }
            return [.float(try context.float(0).gelu(approximate: approximation == "tanh" ? .tanh : .none))]
        },
        "Floor": { try unary($0, float: { x in try constantMap(x) { $0.rounded(.down) } }, integer: { $0 }) },
        "Ceil": { try unary($0, float: { x in try constantMap(x) { $0.rounded(.up) } }, integer: { $0 }) },
        "Round": { try unary($0, float: { x in try constantMap(x) { $0.rounded(.toNearestOrEven) } }, integer: { $0 }) },
        "Clip": clip,
        "Cast": cast,
        "CastLike": { context in
            try cast(context, to: try context.input(1).dataType)
        },
    ]

    /// A binary op with broadcasting: integers exactly when both inputs are integers, floats otherwise.
    static func arithmetic(_ context: ONNXNodeContext, float: (Tensor, Tensor) throws -> Tensor,
                           integer: (Int, Int) throws -> Int) throws -> [ONNXValue] {
        let a = try context.input(0), b = try context.input(1)
        if case .integer(let x) = a, case .integer(let y) = b {
            return [.integer(try integerBinary(context, x, y, dataType: x.dataType, integer))]
        }
        return [.float(try float(a.floatTensor, b.floatTensor))]
    }

    /// `Max`, `Min`, `Sum`: the binary op folded over every input.
    static func variadic(_ context: ONNXNodeContext, float: (Tensor, Tensor) throws -> Tensor,
                         integer: (Int, Int) -> Int) throws -> [ONNXValue] {
        var result = try context.input(0)
        for i in 1 ..< max(context.inputs.count, 1) {
            let next = try context.input(i)
            if case .integer(let x) = result, case .integer(let y) = next {
                result = .integer(try integerBinary(context, x, y, dataType: x.dataType, integer))
            } else {
                result = .float(try float(result.floatTensor, next.floatTensor))
            }
        }
        return [result]
    }

    /// Integer broadcasting.
    static func integerBinary(_ context: ONNXNodeContext, _ a: IntegerTensor, _ b: IntegerTensor,
                              dataType: ONNXDataType, _ f: (Int, Int) throws -> Int) throws -> IntegerTensor {
        guard let shape = BroadcastIndexing.shape(a.shape, b.shape) else {
            throw context.error("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let x = a.broadcastValues(to: shape), y = b.broadcastValues(to: shape)
        var values = [Int](repeating: 0, count: x.count)
        for i in values.indices { values[i] = try f(x[i], y[i]) }
        return IntegerTensor(shape: shape, values: values, dataType: dataType)
    }

    static func comparison(_ context: ONNXNodeContext, float: (Tensor, Tensor) throws -> Tensor,
                           integer: (Int, Int) -> Bool) throws -> [ONNXValue] {
        let a = try context.input(0), b = try context.input(1)
        if case .integer(let x) = a, case .integer(let y) = b {
            return [.integer(try integerBinary(context, x, y, dataType: .bool) { integer($0, $1) ? 1 : 0 })]
        }
        let result = try Autograd.noGrad { try float(a.floatTensor.detach(), b.floatTensor.detach()) }
        return [.integer(IntegerTensor(shape: result.shape, values: result.toArray().map { $0 != 0 ? 1 : 0 },
                                       dataType: .bool))]
    }

    static func logic(_ context: ONNXNodeContext, _ f: @escaping (Bool, Bool) -> Bool) throws -> [ONNXValue] {
        let x = try context.integer(0), y = try context.integer(1)
        return [.integer(try integerBinary(context, x, y, dataType: .bool) { f($0 != 0, $1 != 0) ? 1 : 0 })]
    }

    static func floatPredicate(_ context: ONNXNodeContext, _ test: (Float) -> Bool) throws -> IntegerTensor {
        let x = try context.float(0)
        return IntegerTensor(shape: x.shape, values: x.toArray().map { test($0) ? 1 : 0 }, dataType: .bool)
    }

    static func unary(_ context: ONNXNodeContext, float: (Tensor) throws -> Tensor,
                      integer: (Int) -> Int) throws -> [ONNXValue] {
        switch try context.input(0) {
        case .float(let x): return [.float(try float(x))]
        case .integer(let x):
            return [.integer(IntegerTensor(shape: x.shape, values: x.values.map(integer), dataType: x.dataType))]
        }
    }

    /// A piecewise-constant function (floor, sign, …): its values, outside the graph (its derivative is 0).
    static func constantMap(_ x: Tensor, _ f: (Float) -> Float) throws -> Tensor {
        try Tensor(x.toArray().map(f), shape: x.shape)
    }

    static func whereOp(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let condition = try context.integer(0)
        let a = try context.input(1), b = try context.input(2)
        if case .integer(let x) = a, case .integer(let y) = b {
            guard let inner = BroadcastIndexing.shape(x.shape, y.shape),
                  let shape = BroadcastIndexing.shape(condition.shape, inner) else {
                throw context.error("shapes \(condition.shape), \(x.shape) and \(y.shape) do not broadcast")
            }
            let c = condition.broadcastValues(to: shape), xv = x.broadcastValues(to: shape), yv = y.broadcastValues(to: shape)
            let values = c.indices.map { c[$0] != 0 ? xv[$0] : yv[$0] }
            return [.integer(IntegerTensor(shape: shape, values: values, dataType: x.dataType))]
        }
        return [.float(try NNCore.where(condition: ONNXValue.integer(condition).floatTensor, a.floatTensor, b.floatTensor))]
    }

    static func pow(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let base = try context.input(0), exponent = try context.input(1)
        if case .integer(let x) = base, case .integer(let y) = exponent {
            return [.integer(try integerBinary(context, x, y, dataType: x.dataType) { a, b in
                guard b >= 0 else { throw context.error("negative integer exponent \(b)") }
                var result = 1
                for _ in 0 ..< min(b, 64) { result = result &* a }
                return result
            })]
        }
        let x = base.floatTensor, e = exponent.floatTensor
        let exponents = e.toArray()
        guard BroadcastIndexing.shape(x.shape, e.shape) != nil else {
            throw context.error("shapes \(x.shape) and \(e.shape) do not broadcast")
        }
        // The usual case: one exponent (x² of RMSNorm, x³ of GELU's tanh form), often an initializer and so a
        // parameter itself.
        if let p = exponents.first, exponents.allSatisfy({ $0 == p }), BroadcastIndexing.shape(x.shape, e.shape) == x.shape {
            var y = p == 2 ? x.square() : x.pow(p)
            if e.requiresGrad && Autograd.isGradEnabled {
                // d xᵖ/dp = xᵖ·ln|x| (0 where x = 0), added as (p − p̄)·slope: zero in value, the slope in backward.
                let slope = try Autograd.noGrad {
                    let xd = x.detach()
                    return try NNCore.where(condition: xd.eq(0), Tensor(scalar: 0), y.detach() * xd.abs().log())
                }
                y = try y + (e - e.detach()) * slope
            }
            return [.float(y)]
        }
        // Exponents that vary: xʸ = e^(y·ln x), defined for x > 0 (differentiable in both).
        guard x.toArray().allSatisfy({ $0 > 0 }) else {
            throw context.error("Pow with varying exponents needs positive bases")
        }
        return [.float(try (e * x.log()).exp())]
    }

    static func clip(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        // Opset ≥ 11 gives the bounds as inputs, older opsets as attributes.
        let low = try context.optionalScalar(1) ?? context.node.attribute("min")?.float.map(Double.init)
        let high = try context.optionalScalar(2) ?? context.node.attribute("max")?.float.map(Double.init)
        switch try context.input(0) {
        case .float(let x):
            // Bounds that are parameters (initializers) get their gradient through maximum/minimum.
            if case .float(let lowTensor)? = context.optionalInput(1), case .float(let highTensor)? = context.optionalInput(2),
               lowTensor.requiresGrad || highTensor.requiresGrad {
                return [.float(try x.maximum(lowTensor).minimum(highTensor))]
            }
            return [.float(x.clamp(min: low.map { Float($0) }, max: high.map { Float($0) }))]
        case .integer(let x):
            let lo = low.map { Int($0) } ?? Int.min, hi = high.map { Int($0) } ?? Int.max
            return [.integer(IntegerTensor(shape: x.shape, values: x.values.map { min(max($0, lo), hi) },
                                           dataType: x.dataType))]
        }
    }

    static func cast(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let to = try context.int("to", default: 1)
        return try cast(context, to: ONNXDataType(rawValue: to))
    }

    /// Float → float keeps the Float32 tensor (and its graph); integers are exact; float → integer truncates toward
    /// zero, as onnxruntime does; anything → BOOL is "not zero".
    static func cast(_ context: ONNXNodeContext, to type: ONNXDataType) throws -> [ONNXValue] {
        let x = try context.input(0)
        if type.isFloatingPoint { return [.float(x.floatTensor)] }
        guard type.isInteger else { throw context.error("cast to \(type.name) is not supported") }
        let values: [Int]
        switch x {
        case .float(let tensor):
            values = try tensor.toArray().map { value in
                if type == .bool { return value != 0 ? 1 : 0 }
                guard value.isFinite, abs(value) < 9.2e18 else {
                    throw context.error("cannot cast \(value) to \(type.name)")
                }
                return Int(value)
            }
        case .integer(let tensor):
            values = tensor.values
        }
        return [.integer(IntegerTensor(shape: x.shape, values: values.map { wrapped($0, to: type) }, dataType: type))]
    }

    /// `value` as the integer type stores it (two's-complement wrap-around, BOOL as 0/1).
    static func wrapped(_ value: Int, to type: ONNXDataType) -> Int {
        switch type {
        case .bool: return value != 0 ? 1 : 0
        case .int32: return Int(Int32(truncatingIfNeeded: value))
        case .int16: return Int(Int16(truncatingIfNeeded: value))
        case .int8: return Int(Int8(truncatingIfNeeded: value))
        case .uint8: return Int(UInt8(truncatingIfNeeded: value))
        default: return value
        }
    }
}
