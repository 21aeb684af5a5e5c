import ModelFiles
import NNCore
import NNModules

/// The torchvision image classifiers nnview builds as live models, named as torchvision's model builders.
public enum VisionArchitectureName: String, CaseIterable, Sendable {
    case mobilenetV2 = "mobilenet_v2"
    case mobilenetV3Small = "mobilenet_v3_small"
    case resnet18
    case resnet34
    case resnet50

    /// The architecture a user names (`--arch resnet18`); throws a one-line error listing the known names.
    public init(parsing text: String) throws {
        guard let name = VisionArchitectureName(rawValue: text.lowercased()) else {
            throw ModuleError(.invalidArgument, "unknown architecture '\(text)' (known: "
                              + VisionArchitectureName.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        self = name
    }

    /// The state-dict name of the final linear layer, whose output size is the number of classes.
    var classifierWeight: String {
        switch self {
        case .mobilenetV2: "classifier.1.weight"
        case .mobilenetV3Small: "classifier.3.weight"
        case .resnet18, .resnet34, .resnet50: "fc.weight"
        }
    }

    /// The state-dict name of the final linear layer's bias.
    var classifierBias: String { String(classifierWeight.dropLast("weight".count)) + "bias" }
}

/// A state dict that is none of the known architectures: the nearest one and where it first differs.
public struct VisionArchitectureMismatch: Error, CustomStringConvertible, Sendable {
    /// The architecture whose names and shapes agree longest with the state dict.
    public let nearest: VisionArchitectureName
    /// What differs first: a missing, unexpected or differently shaped name.
    public let firstMismatch: String

    /// One line naming the nearest candidate and the first mismatching key.
    public var description: String {
        "the state dict matches no known architecture (" + VisionArchitectureName.allCases.map(\.rawValue).joined(separator: ", ")
            + "); nearest: \(nearest.rawValue), first mismatch: \(firstMismatch)"
    }
}

/// Builds torchvision's classifiers and recognises their state dicts by names and shapes.
public enum VisionArchitecture {
    /// A new `name` network with `numClasses` outputs, initialised like PyTorch, in training mode.
    public static func build(_ name: VisionArchitectureName, numClasses: Int = 1000) throws -> Module {
        guard numClasses > 0 else { throw ModuleError(.invalidArgument, "\(name.rawValue): numClasses must be positive, got \(numClasses)") }
        switch name {
        case .mobilenetV2: return try MobileNetV2(numClasses: numClasses)
        case .mobilenetV3Small: return try MobileNetV3.small(numClasses: numClasses)
        case .resnet18: return try ResNet(block: .basic, layers: [2, 2, 2, 2], numClasses: numClasses)
        case .resnet34: return try ResNet(block: .basic, layers: [3, 4, 6, 3], numClasses: numClasses)
        case .resnet50: return try ResNet(block: .bottleneck, layers: [3, 4, 6, 3], numClasses: numClasses)
        }
    }

    /// Every state-dict name of `name` with its shape, in PyTorch's order (for 1000 classes). Built once per
    /// architecture and process (without arithmetic, but with the weights' memory while it is built).
    public static func layout(of name: VisionArchitectureName) throws -> [(name: String, shape: [Int])] {
        if let cached = LayoutCache.shared.layouts.withLock({ $0[name] }) { return cached }
        let layout = try Tensor.withSeededGenerator(0) {
            try build(name).stateDict().entries.map { ($0.name, $0.shape.dimensions.map { $0 ?? 0 }) }
        }
        LayoutCache.shared.layouts.withLock { $0[name] = layout }
        return layout
    }

    /// The architecture whose state dict has exactly these names and shapes (any number of classes), with its
    /// number of classes; throws `VisionArchitectureMismatch` naming the nearest candidate otherwise.
    public static func recognize(_ records: [(name: String, shape: [Int])]) throws -> (name: VisionArchitectureName, numClasses: Int) {
        let given = Dictionary(records.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
        var nearest: (name: VisionArchitectureName, agreeing: Int, mismatch: String)?
        for candidate in VisionArchitectureName.allCases {
            // Without the candidate's classifier it cannot be that network: skip building its layout (a ResNet-50
            // costs 100 MB and, in a debug build, seconds), which every opened state dict would otherwise pay.
            guard given[candidate.classifierWeight] != nil else {
                if nearest == nil { nearest = (candidate, 0, "\(candidate.classifierWeight) is missing") }
                continue
            }
            let layout = try layout(of: candidate)
            // A classifier for another number of classes is the same architecture.
            let classes = given[candidate.classifierWeight].flatMap { $0.count == 2 ? $0[0] : nil } ?? 1000
            var agreeing = 0
            var mismatch: String?
            for (name, shape) in layout {
                var expected = shape
                if name == candidate.classifierWeight || name == candidate.classifierBias {
                    expected[0] = classes
                }
                guard let actual = given[name] else { mismatch = "\(name) is missing"; break }
                guard actual == expected else {
                    mismatch = "\(name) has shape \(LazyShape(known: actual)), expected \(LazyShape(known: expected))"
                    break
                }
                agreeing += 1
            }
            if mismatch == nil, records.count > layout.count || given.count != layout.count {
                let known = Set(layout.map(\.name))
                mismatch = "\(records.first { !known.contains($0.name) }?.name ?? "a repeated name") is not in \(candidate.rawValue)"
            }
            guard let mismatch else { return (candidate, classes) }
            if nearest == nil || agreeing > nearest!.agreeing { nearest = (candidate, agreeing, mismatch) }
        }
        throw VisionArchitectureMismatch(nearest: nearest!.name, firstMismatch: nearest!.mismatch)
    }

    /// The architecture of `archive`'s tensors (see `recognize(_:)`), read from the names and shapes only.
    public static func recognize(_ archive: TensorArchive) throws -> (name: VisionArchitectureName, numClasses: Int) {
        try recognize(archive.tensors.map { ($0.name, $0.shape) })
    }

    /// `archive`'s network, built as `name` (or as the architecture recognised from its names and shapes), with
    /// its weights and buffers loaded, in evaluation mode.
    public static func load(_ archive: TensorArchive, as name: VisionArchitectureName? = nil) throws -> (name: VisionArchitectureName, model: Module) {
        let chosen: VisionArchitectureName, classes: Int
        if let name {
            chosen = name
            let weight = archive.tensor(named: name.classifierWeight)?.shape
            classes = weight.flatMap { $0.count == 2 ? $0[0] : nil } ?? 1000
        } else {
            (chosen, classes) = try recognize(archive)
        }
        let model = try build(chosen, numClasses: classes)
        try model.loadWeights(from: archive)
        model.eval()
        return (chosen, model)
    }
}
