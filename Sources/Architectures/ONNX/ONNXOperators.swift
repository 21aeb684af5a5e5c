import ModelFiles
import NNCore

/// The ops the interpreter runs, by op type (default ONNX domain), each a function from a node's inputs to its
/// outputs. Semantics follow ONNX opsets 13–21 (and the older attribute forms where exporters still write them).
enum ONNXOperators {
    typealias Operator = @Sendable (ONNXNodeContext) throws -> [ONNXValue]

    /// Every supported op type.
    static let table: [String: Operator] = {
        var table: [String: Operator] = [:]
        for group in [elementwise, shapeOps, indexingOps, scatterOps, neuralNetworkOps, reductionOps, resizeOps, convTransposeOps] {
            table.merge(group) { first, _ in first }
        }
        return table
    }()

    /// The op types the interpreter runs, sorted (for messages and the docs).
    static var supportedOpTypes: [String] { table.keys.sorted() }

    /// Runs one node; errors from NNCore are reported as this node's.
    static func run(_ context: ONNXNodeContext) throws -> [ONNXValue] {
        let node = context.node
        guard node.domain.isEmpty || node.domain == "ai.onnx", let op = table[node.opType] else {
            throw ONNXRunError("unsupported ONNX op \"\(node.qualifiedOpType)\" (node \"\(node.name)\", opset \(context.opset))")
        }
        do {
            return try op(context)
        } catch let error as ONNXRunError {
            throw error
        } catch {
            throw context.error("\(error)")
        }
    }
}
