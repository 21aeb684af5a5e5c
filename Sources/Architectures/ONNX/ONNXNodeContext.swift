import ModelFiles
import NNCore

/// One node being run: its inputs (nil for an omitted optional one), its attributes and the opset, with
/// accessors that turn a wrong input or attribute into an `ONNXRunError` naming the node.
struct ONNXNodeContext {
    let node: ONNXNode
    let inputs: [ONNXValue?]
    /// The default domain's opset version the model imports.
    let opset: Int

    /// `Op "name"` for messages.
    var nodeDescription: String {
        "\(node.opType) node \"\(node.name.isEmpty ? node.outputs.first ?? "" : node.name)\""
    }

    /// An error about this node.
    func error(_ message: String) -> ONNXRunError {
        ONNXRunError("\(nodeDescription) (opset \(opset)): \(message)")
    }

    /// Input `i`, which must be present.
    func input(_ i: Int) throws -> ONNXValue {
        guard i < inputs.count, let value = inputs[i] else { throw error("input \(i) is missing") }
        return value
    }

    /// Input `i` if present.
    func optionalInput(_ i: Int) -> ONNXValue? {
        i < inputs.count ? inputs[i] : nil
    }

    /// Input `i` as a float tensor; an integer input is refused (ONNX types it as float here).
    func float(_ i: Int) throws -> Tensor {
        switch try input(i) {
        case .float(let tensor): return tensor
        case .integer(let tensor): throw error("input \(i) is \(tensor.dataType.name), a float tensor was expected")
        }
    }

    /// Input `i` as an integer tensor.
    func integer(_ i: Int) throws -> IntegerTensor {
        switch try input(i) {
        case .integer(let tensor): return tensor
        case .float: throw error("input \(i) is a float tensor, an integer tensor was expected")
        }
    }

    /// Input `i` as a list of integers (a 1-d or scalar integer tensor), nil when omitted.
    func optionalInts(_ i: Int) throws -> [Int]? {
        guard optionalInput(i) != nil else { return nil }
        let tensor = try integer(i)
        guard tensor.shape.count <= 1 else { throw error("input \(i) must be 1-d, got shape \(tensor.shape)") }
        return tensor.values
    }

    /// Input `i` as one number (a one-element float or integer tensor), nil when omitted.
    func optionalScalar(_ i: Int) throws -> Double? {
        guard let value = optionalInput(i) else { return nil }
        switch value {
        case .float(let tensor):
            guard tensor.count == 1 else { throw error("input \(i) must hold one value, got shape \(tensor.shape)") }
            return Double(tensor.toArray()[0])
        case .integer(let tensor):
            guard tensor.count == 1 else { throw error("input \(i) must hold one value, got shape \(tensor.shape)") }
            return Double(tensor.values[0])
        }
    }

    // MARK: Attributes

    func int(_ name: String, default value: Int) throws -> Int {
        guard let attribute = node.attribute(name) else { return value }
        guard let int = attribute.int else { throw error("attribute \(name) is not an integer") }
        return int
    }

    func optionalInt(_ name: String) throws -> Int? {
        guard let attribute = node.attribute(name) else { return nil }
        guard let int = attribute.int else { throw error("attribute \(name) is not an integer") }
        return int
    }

    func float(_ name: String, default value: Float) throws -> Float {
        guard let attribute = node.attribute(name) else { return value }
        guard let float = attribute.float else { throw error("attribute \(name) is not a float") }
        return float
    }

    func ints(_ name: String) throws -> [Int]? {
        guard let attribute = node.attribute(name) else { return nil }
        if let ints = attribute.ints { return ints }
        if let int = attribute.int { return [int] }
        throw error("attribute \(name) is not a list of integers")
    }

    func string(_ name: String, default value: String) throws -> String {
        guard let attribute = node.attribute(name) else { return value }
        guard let string = attribute.string else { throw error("attribute \(name) is not a string") }
        return string
    }

    /// Axes given as input `index` (newer opsets) or as the `axes` attribute (older ones): whichever is present.
    func axes(input index: Int) throws -> [Int]? {
        if let fromInput = try optionalInts(index) { return fromInput }
        return try ints("axes")
    }

    /// `axis` resolved against `rank` (negative counts from the end).
    func resolvedAxis(_ axis: Int, rank: Int) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < max(rank, 1) else {
            throw error("axis \(axis) is out of range for rank \(rank)")
        }
        return resolved
    }
}
