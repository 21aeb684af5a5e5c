import ModelFiles
import NNCore

/// `nnview run FILE.onnx`: the graph on inputs read from a safetensors file, and what `--out` writes.
extension ONNXGraphModule {
    /// One run: every graph output by name and, when `backwardOutput` names an output, `grad/INIT` =
    /// d sum(OUTPUT) / d INIT for every float initializer (zeros for one the output does not depend on), in the
    /// graph's order.
    public struct RunResult {
        /// Graph outputs, in the graph's order.
        public var outputs: [(name: String, value: ONNXValue)]
        /// `grad/INIT` for every float initializer, in file order; empty without a backward pass.
        public var gradients: [(name: String, tensor: Tensor)]
    }

    /// Runs the graph on the tensors of a safetensors file named as the graph's inputs.
    public func run(inputFile: String, backwardOutput: String? = nil) throws -> RunResult {
        var inputs: [String: ONNXValue] = [:]
        for record in try SafeTensorsReader.read(path: inputFile).tensors {
            inputs[record.name] = try ONNXValue(record: record)
        }
        return try run(inputs, backwardOutput: backwardOutput)
    }

    /// Runs the graph on `inputs`, with a backward pass from sum(`backwardOutput`) when given.
    public func run(_ inputs: [String: ONNXValue], backwardOutput: String?) throws -> RunResult {
        if let backwardOutput, !outputNames.contains(backwardOutput) {
            throw ONNXRunError("--backward \(backwardOutput): the graph's outputs are \(outputNames.joined(separator: ", "))")
        }
        zeroGrad()
        let values = try backwardOutput == nil ? Autograd.noGrad { try run(inputs) } : run(inputs)
        let outputs = outputNames.map { ($0, values[$0]!) }
        guard let backwardOutput else { return RunResult(outputs: outputs, gradients: []) }
        guard case .float(let output) = values[backwardOutput]!, output.requiresGrad else {
            throw ONNXRunError("--backward \(backwardOutput): the output does not depend on any float initializer")
        }
        try output.sum().backward()
        let gradients = model.graph.initializers.compactMap { tensor -> (String, Tensor)? in
            guard let parameter = initializers[tensor.name] else { return nil }
            return ("grad/" + tensor.name, parameter.grad ?? Tensor.zeros(parameter.shape))
        }
        return RunResult(outputs: outputs, gradients: gradients)
    }
}

extension ONNXGraphModule.RunResult {
    /// Everything as safetensors entries: float values as F32, integers as I64 (BOOL as BOOL), outputs first.
    public var safeTensorsEntries: [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])] {
        var entries: [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])] = []
        for (name, value) in outputs {
            switch value {
            case .float(let tensor): entries.append((name, .f32, tensor.shape, Self.bytes(tensor)))
            case .integer(let tensor):
                if tensor.dataType == .bool {
                    entries.append((name, .bool, tensor.shape, tensor.values.map { $0 != 0 ? 1 : 0 }))
                } else {
                    entries.append((name, .i64, tensor.shape, tensor.values.flatMap { value in
                        withUnsafeBytes(of: Int64(value).littleEndian) { Array($0) }
                    }))
                }
            }
        }
        for (name, tensor) in gradients { entries.append((name, .f32, tensor.shape, Self.bytes(tensor))) }
        return entries
    }

    static func bytes(_ tensor: Tensor) -> [UInt8] {
        tensor.toArray().flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } }
    }
}
