import ArgumentParser
import ModelFiles

/// `nnview convert IN OUT`: rewrite any weights (or a spec's state dict) as safetensors, .npz or .npy, a GGUF model as
/// .gguf, or an ONNX model as .onnx.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert weights to safetensors, .npz, .npy, .gguf or .onnx (chosen by OUT's extension).",
        discussion: """
        safetensors keeps ties (each tied tensor stored once, the other names as aliases in __metadata__) and \
        metadata; .npz stores every name as its own array. Types the output cannot hold (bfloat16 and float8 in \
        NumPy, GGUF blocks) are written as float32. .onnx is written from an ONNX input (its graph copied, external \
        data into OUT.data). The file is written atomically; IN is never overwritten.
        """)

    @Argument(help: "The input: a weights file, a model folder, a .nn spec or a built-in name.")
    var input: String

    @Argument(help: "The output file: .safetensors, .npz, .npy, .gguf for a GGUF input or .onnx for an ONNX input.")
    var output: String

    func validate() throws {
        guard ModelConverter.Format(path: output) != nil else {
            throw ValidationError("OUT must end in .safetensors, .npz, .npy, .gguf or .onnx, not '\(output)'")
        }
    }

    func run() throws {
        guard let format = ModelConverter.Format(path: output) else { throw UsageError("OUT must end in .safetensors, .npz, .npy, .gguf or .onnx") }
        if CommandLineOutput.sameFile(input, output) {
            throw ModelFileError("is the input; refusing to overwrite it (choose another output name)", file: output)
        }
        let archive = try TensorSource.archive(input)
        let report = try ModelConverter.convert(archive, to: output, format: format)
        var line = "wrote \(output): \(report.tensorCount) tensors"
        if !report.aliases.isEmpty { line += ", \(report.aliases.count) tied names stored as aliases (\(report.aliases.joined(separator: ", ")))" }
        if !report.convertedToFloat32.isEmpty { line += ", \(report.convertedToFloat32.count) converted to F32" }
        print(line)
    }
}
