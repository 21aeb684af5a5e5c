import ArgumentParser
import Architectures
import Foundation
import ModelFiles
import NNCore
import NNModules

/// The work of `nnview run CHECKPOINT --image FILE… | --input FILE`: a torchvision classifier's state dict
/// (recognised by its names and shapes, or `--arch`), photos preprocessed as torchvision's ImageNet preset (or a
/// given `input` tensor), one forward pass in eval mode, the top-K classes, and optionally `input` and `logits`
/// written to a safetensors file.
struct ImageModelRun {
    let options: Run

    /// The paragraph of `nnview run --help` about image classifiers.
    static let discussion = """
        With --image (a PNG or JPEG photo; repeat for a batch) or --input (a safetensors file holding `input` \
        [N, 3, H, W], used as it is), MODEL is an image classifier's state dict (.pth/.pt or safetensors) of one of \
        torchvision's \(VisionArchitectureName.allCases.map(\.rawValue).joined(separator: ", ")), recognised by its \
        names and shapes or named by --arch. Photos are preprocessed as torchvision's ImageNet preset (Resize(256), \
        CenterCrop(224), Normalize). It prints each image's top-K classes with their probabilities (ImageNet's \
        names for 1,000 classes, else "class N"); --json prints {"top": [{"index", "label", "probability"}, …]} \
        for one image and an "images" list of {"source", "top"} for every image; --out writes input and logits.
        """

    func run() throws {
        for source in options.images + [options.input].compactMap({ $0 }) {
            if let out = options.out, CommandLineOutput.sameFile(source, out) {
                throw ModelFileError("is an input of this run; refusing to overwrite it", file: out)
            }
        }
        if TransformerLoader.canLoad(path: options.model) {
            throw ModelFileError("is a text model (a transformers folder or GGUF file): give it --text; --image and --input "
                                 + "are for an image classifier's state dict", file: options.model)
        }
        let archive = try ModelFileReader.open(path: options.model)
        let named = try options.arch.map(VisionArchitectureName.init(parsing:))
        let architecture = try named ?? Self.recognize(archive).name
        let batch = try options.images.isEmpty ? ImageBatch.fromInputFile(options.input ?? "") : ImageBatch.fromImages(options.images)
        let (_, model) = try VisionArchitecture.load(archive, as: architecture)
        let logits = try Autograd.noGrad { try model(batch.input) }
        guard logits.shape.count == 2, logits.shape[0] == batch.input.shape[0], logits.shape[1] > 0 else {
            throw ModelFileError("the network gave logits of shape \(logits.shape) for input \(batch.input.shape)", file: options.model)
        }
        let report = try ImageRunReport(model: options.model, architecture: architecture, recognised: named == nil,
                                        batch: batch, logits: logits, k: options.top)
        print(options.json ? try report.json() : report.text())
        if let out = options.out {
            // Copies, so the file's input (mapped from disk) and the logits are written as plain tensors.
            let copies = try [("input", batch.input), ("logits", logits)].map { ($0.0, try Tensor($0.1.toArray(), shape: $0.1.shape)) }
            try SafeTensorsWriter.write(stateDict: StateDict(copies), to: out)
            if !options.json { print("wrote \(out): input \(batch.input.shape), logits \(logits.shape)") }
        }
    }

    /// The architecture of `archive`, or the one-line mismatch attributed to the file.
    static func recognize(_ archive: TensorArchive) throws -> (name: VisionArchitectureName, numClasses: Int) {
        do {
            return try VisionArchitecture.recognize(archive)
        } catch let mismatch as VisionArchitectureMismatch {
            throw ModelFileError(mismatch.description, file: archive.source)
        }
    }

    /// Throws when `path` is an image classifier given texts: it names the architecture and the options it takes.
    /// Returns quietly for anything else, which the text path then refuses with its own message.
    static func refuseTextInput(model path: String) throws {
        guard let archive = try? ModelFileReader.open(path: path),
              let (name, _) = try? VisionArchitecture.recognize(archive) else { return }
        throw ModelFileError("is an image classifier (\(name.rawValue)); give it --image FILE or --input FILE, not --text", file: path)
    }
}

extension Run {
    /// Whether this run feeds an image classifier.
    var isImageRun: Bool { !images.isEmpty || input != nil }

    /// The usage rules of an image run (exit 2 when broken).
    func validateImageOptions() throws {
        guard isImageRun else {
            throw ValidationError("--arch is for image classifiers: give it with --image FILE or --input FILE")
        }
        guard texts.isEmpty, pairs.isEmpty, ids == nil else { throw ValidationError("give either texts (--text) or images (--image/--input), not both") }
        guard images.isEmpty || input == nil else { throw ValidationError("give either --image (one or more) or --input, not both") }
        guard images.count <= ImageBatch.maxImages else {
            throw ValidationError("at most \(ImageBatch.maxImages) --image in one run, not \(images.count)")
        }
        guard labels == nil, loss == nil else { throw ValidationError("--labels and --loss are for text models") }
        if let arch {
            do { _ = try VisionArchitectureName(parsing: arch) } catch { throw ValidationError("--arch: \(error)") }
        }
        guard (1 ... 1_000).contains(top) else { throw ValidationError("--top must be between 1 and 1000, not \(top)") }
        if let out, !out.hasSuffix(".safetensors") { throw ValidationError("--out must name a .safetensors file, not '\(out)'") }
    }
}
