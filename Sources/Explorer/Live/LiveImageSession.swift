import Architectures
import Foundation
import Images
import ModelFiles
import NNCore
import NNModules
import TerminalUI

/// A torchvision classifier checkpoint opened live: `i` asks for a PNG or JPEG path, preprocessed as torchvision's
/// ImageNet preset (resize 256, centre crop 224, normalise), optionally followed by ` | CLASS` (an index or an ImageNet
/// name) naming the true class; `f` shows the top-5 classes; `b` runs backward with the cross-entropy of that class, or
/// of the top class (the model's own best guess) when none was typed.
public final class LiveImageSession: LiveSession {
    /// The network, with torchvision's module names, in evaluation mode.
    public let network: Module
    /// The architecture recognised from the checkpoint's names and shapes.
    public let architecture: VisionArchitectureName
    /// The image file given with `i`, nil before one.
    public private(set) var imagePath: String?
    /// The class typed after ` | `, which `b` takes as the true label; nil means the top class.
    public private(set) var targetClass: Int?
    /// The 224 × 224 crop the network sees (for drawing), nil before an image.
    public private(set) var croppedImage: DecodedImage?
    var input: Tensor?
    /// The top classes of the last pass, most probable first.
    public private(set) var lastTop: [TokenPrediction] = []
    /// The classifier's number of classes (the last parameter is its bias).
    let classCount: Int

    /// Opens a checkpoint's network (already loaded by `VisionArchitecture.load`).
    public init(network: Module, architecture: VisionArchitectureName) {
        self.network = network
        self.architecture = architecture
        classCount = network.namedParameters().last?.tensor?.shape.first ?? 0
    }

    public var module: Module { network }
    public var taskDescription: String { "image classifier (\(architecture.rawValue))" }
    public var inputPrompt: String { "image file (PNG or JPEG) [ | class for b]: " }
    public var inputText: String { (imagePath ?? "") + (targetClass.map { " | \($0)" } ?? "") }
    public var inputSummary: String? { imagePath.map { "image: " + Self.fileName($0) } }

    static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
    public var inputShape: [Int]? { input?.shape }
    public var lossName: String {
        targetClass.map { "cross-entropy of class \(className($0))" } ?? "cross-entropy of the top class"
    }

    public func setInput(_ text: String) throws -> String {
        let parts = text.components(separatedBy: " | ")
        guard parts.count <= 2 else { throw ExplorerError("input: give a path, optionally followed by ' | CLASS'; the input is unchanged") }
        let target = try parts.count == 2 ? resolveClass(parts[1]) : nil
        let path = SavePath.expandingTilde(parts[0].trimmingCharacters(in: .whitespaces))
        guard !path.isEmpty else { throw ExplorerError("input: type the path of a PNG or JPEG file; the input is unchanged") }
        let image: DecodedImage
        do {
            image = try ImageDecoder.decode(fileAt: URL(fileURLWithPath: path))
        } catch {
            throw ExplorerError("input: \(error) (the input is unchanged)")
        }
        let tensor = try ImageNetPreprocessing.tensor(for: image)
        croppedImage = ImageNetPreprocessing.croppedImage(for: image)
        input = tensor
        imagePath = path
        targetClass = target
        let label = target.map { "; b scores class \(className($0))" } ?? "; b runs backward on the top class"
        return "input: \(path) (\(image.width)×\(image.height), centre crop 224×224; f classifies it\(label))"
    }

    /// The class a typed `CLASS` names: an index below the class count, or (for a 1,000-class head) an ImageNet
    /// name, matched without regard to case.
    func resolveClass(_ typed: String) throws -> Int {
        let text = typed.trimmingCharacters(in: .whitespaces)
        if let index = Int(text) {
            guard (0 ..< classCount).contains(index) else {
                throw ExplorerError("input: class \(index) is outside 0…\(classCount - 1); the input is unchanged")
            }
            return index
        }
        if classCount == ImageNetClasses.count,
           let index = (0 ..< classCount).first(where: { ImageNetClasses.name(forIndex: $0)?.lowercased() == text.lowercased() }) {
            return index
        }
        throw ExplorerError("input: '\(text)' is neither a class index (0…\(classCount - 1)) nor an ImageNet class name; the input is unchanged")
    }

    func requireInput(_ action: String) throws -> Tensor {
        guard let input else { throw ExplorerError("\(action): no image yet: press i and type the path of a PNG or JPEG file") }
        return input
    }

    public func forward() throws -> LiveOutcome {
        let x = try requireInput("forward")
        let logits = try Autograd.noGrad { try network(x) }
        let lines = try describe(logits)
        return LiveOutcome(status: "forward: " + headline(), lines: lines)
    }

    public func backward() throws -> LiveOutcome {
        let x = try requireInput("backward")
        let logits = try network(x)
        let top = try Predictions.top(1, logits: logits.reshape([1, 1, logits.count]), batchIndex: 0, position: 0)
        guard let best = targetClass ?? top.first?.id else { throw ExplorerError("backward: the network gave no classes") }
        let loss = try crossEntropy(logits: logits, targets: try Tensor([Float(best)], shape: [1]))
        try loss.backward()
        let value = try loss.item()
        var lines = try describe(logits)
        let note = targetClass == nil ? "cross-entropy of the top class \(className(best))" : "cross-entropy of class \(className(best))"
        lines.insert("loss \(NumberFormat.exact(value)): \(note)", at: 0)
        return LiveOutcome(status: "backward: loss \(NumberFormat.exact(value)) (\(note))", lines: lines, loss: value)
    }

    /// The top-5 classes of `logits` [1, C] as lines.
    func describe(_ logits: Tensor) throws -> [String] {
        lastTop = try Predictions.top(5, logits: logits.reshape([1, 1, logits.count]), batchIndex: 0, position: 0)
        var lines = ["\(imagePath.map(Self.fileName) ?? "image") → top classes:"]
        lines += lastTop.enumerated().map {
            "  \($0.offset + 1). \(className($0.element.id))  " + String(format: "%5.1f%%", Double($0.element.probability) * 100)
        }
        return lines
    }

    func headline() -> String {
        guard let best = lastTop.first else { return "no classes" }
        return "\(className(best.id)) " + String(format: "%.1f%%", Double(best.probability) * 100)
    }

    /// ImageNet's name of class `index` (for a 1,000-class head), else its number.
    func className(_ index: Int) -> String {
        if classCount == ImageNetClasses.count, let name = ImageNetClasses.name(forIndex: index) { return "\(index) \(name)" }
        return "class \(index)"
    }
}
