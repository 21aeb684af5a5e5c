import NNCore
import NNModules

extension TrainingRunResult {
    /// Writes the run as F32 safetensors in the layout of PyTorch's reference files (fixtures/reference):
    /// `output` (the first step's output), `loss` (one value per step), and for every name of
    /// `namedParameters()` `param/NAME` and `grad/NAME` after the last step, and `buffer/NAME` for every buffer
    /// (integer ones as I64). The file is written atomically.
    /// Returns the names that no gradient reached; they get no `grad/` entry (PyTorch's `grad` would be None).
    @discardableResult
    public func write(to path: String, overwrite: Bool = true) throws -> [String] {
        func entry(_ name: String, _ values: [Float], _ shape: [Int]) -> SafeTensorsWriter.Tensor {
            SafeTensorsWriter.Tensor(name: name, type: .f32, shape: shape,
                                     buffer: values.withUnsafeBytes { ByteBuffer(copying: $0) })
        }
        var tensors = [entry("output", firstOutput.toArray(), firstOutput.shape),
                       entry("loss", losses, [losses.count])]
        var withoutGradient: [String] = []
        for (name, gradient) in gradients {
            guard let gradient else { withoutGradient.append(name); continue }
            tensors.append(entry("grad/" + name, gradient.toArray(), gradient.shape))
        }
        for (name, value) in parameters {
            tensors.append(entry("param/" + name, value.toArray(), value.shape))
        }
        for (name, value) in buffers {
            if value.dtype == .int64 {
                // num_batches_tracked: I64, as PyTorch keeps it.
                let integers = value.toArray().map { $0.isFinite && abs($0) < 9e18 ? Int64($0) : 0 }
                tensors.append(SafeTensorsWriter.Tensor(name: "buffer/" + name, type: .i64, shape: value.shape,
                                                        buffer: integers.withUnsafeBytes { ByteBuffer(copying: $0) }))
            } else {
                tensors.append(entry("buffer/" + name, value.toArray(), value.shape))
            }
        }
        do {
            try SafeTensorsWriter.write(tensors: tensors, to: path, overwrite: overwrite)
        } catch let error as SafeTensorsError {
            throw error.modelFileError
        }
        return withoutGradient
    }

    /// The first name and step at which the loss or a gradient or parameter is NaN or infinite, for a warning.
    public var firstNonFinite: String? {
        if let step = losses.firstIndex(where: { !$0.isFinite }) { return "loss of step \(step + 1) is \(losses[step])" }
        if firstOutput.toArray().contains(where: { !$0.isFinite }) { return "the model's output" }
        for (name, gradient) in gradients where gradient?.toArray().contains(where: { !$0.isFinite }) == true {
            return "grad/\(name)"
        }
        for (name, value) in parameters where value.toArray().contains(where: { !$0.isFinite }) { return "param/\(name)" }
        return nil
    }
}
