import Foundation
import ModelFiles
import NNCore
import NNModules
import TestSupport
import Testing
@testable import Architectures

/// torchvision's classifiers: the same state-dict names, shapes and module classes as torchvision
/// (Fixtures/vision_structure.json), the same logits for weights made from a formula
/// (Fixtures/vision_logits.safetensors; both written by scripts/reference/vision_architectures.py), and recognition
/// of a state dict by its names and shapes.
@Suite struct VisionArchitectureTests {
    /// torchvision's structure of one architecture.
    struct Structure {
        let stateDict: [(name: String, shape: [Int], dtype: String)]
        let modules: [(path: String, typeName: String)]
    }

    static let structures: [String: Structure] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.path("vision_structure.json")))
        let json = try! JSONSerialization.jsonObject(with: data) as! [String: [String: [[Any]]]]
        return json.mapValues { entry in
            Structure(stateDict: entry["state_dict"]!.map { ($0[0] as! String, ($0[1] as! [Int]), $0[2] as! String) },
                      modules: entry["modules"]!.map { ($0[0] as! String, $0[1] as! String) })
        }
    }()

    @Test(arguments: VisionArchitectureName.allCases)
    func sameNamesShapesAndClassesAsTorchvision(_ name: VisionArchitectureName) throws {
        let expected = try #require(Self.structures[name.rawValue])
        let model = try VisionArchitecture.build(name)
        let entries = model.stateDict().entries
        #expect(entries.map(\.name) == expected.stateDict.map(\.name), "\(name): state-dict names in torchvision's order")
        for (entry, torch) in zip(entries, expected.stateDict) {
            #expect(entry.shape.dimensions.map { $0 ?? -1 } == torch.shape, "\(name) \(entry.name)")
            let dtype = entry.tensor?.dtype == .int64 ? "int64" : "float32"
            #expect(dtype == torch.dtype, "\(name) \(entry.name): \(dtype), torchvision \(torch.dtype)")
        }
        let modules = model.namedModules().map { ($0.name, $0.module.typeName) }
        #expect(modules.map(\.0) == expected.modules.map(\.path), "\(name): module paths")
        for (module, torch) in zip(modules, expected.modules) {
            #expect(module.1 == torch.typeName, "\(name) '\(module.0)': \(module.1), torchvision \(torch.typeName)")
        }
    }

    /// Loads the weights scripts/reference/vision_architectures.py describes into `model`.
    static func loadFormulaWeights(into model: Module) throws {
        let normalised = Set(model.namedModules().filter { $0.module is BatchNorm2d }.map(\.name))
        var values: [(String, Tensor)] = []
        for (t, entry) in model.stateDict().entries.enumerated() {
            let shape = entry.shape.dimensions.map { $0 ?? 0 }
            let count = shape.reduce(1, *)
            let v = (0 ..< count).map { Foundation.sin(0.37 * Double($0) + Double(t)) }
            let owner = entry.name.split(separator: ".").dropLast().joined(separator: ".")
            let leaf = String(entry.name.split(separator: ".").last!)
            let result: [Double]
            if leaf == "num_batches_tracked" {
                result = [0]
            } else if normalised.contains(owner) {
                switch leaf {
                case "weight": result = v.map { 1 + 0.1 * $0 }
                case "running_var": result = v.map { 1 + 0.25 * $0 * $0 }
                default: result = v.map { 0.1 * $0 }
                }
            } else if leaf == "weight" {
                let fanIn = Double(count / shape[0])
                result = v.map { $0 / fanIn.squareRoot() }
            } else {
                result = v.map { 0.1 * $0 }
            }
            values.append((entry.name, try Tensor(result.map { Float($0) }, shape: shape)))
        }
        try model.loadStateDict(StateDict(values))
    }

    @Test(arguments: [VisionArchitectureName.mobilenetV2, .mobilenetV3Small, .resnet18])
    func logitsAgreeWithTorchvision(_ name: VisionArchitectureName) throws {
        let reference = try ModelFileReader.open(path: Fixtures.path("vision_logits.safetensors")).stateDict()
        let model = try VisionArchitecture.build(name)
        try Self.loadFormulaWeights(into: model)
        model.eval()
        let start = ContinuousClock.now
        let logits = try Autograd.noGrad { try model(try #require(reference["input"])) }
        print("\(name.rawValue) forward at 1×3×32×32: \(ContinuousClock.now - start)")
        let expected = try #require(reference["\(name.rawValue)/logits"])
        #expect(logits.shape == expected.shape)
        let scale = expected.toArray().map(abs).max() ?? 1
        for (index, (a, e)) in zip(logits.toArray(), expected.toArray()).enumerated() {
            let ok = abs(a - e) <= 1e-4 * max(1, scale)
            #expect(ok, "\(name) logits[\(index)]: nnview \(a), torchvision \(e)")
            if !ok { break }
        }
    }

    @Test(arguments: VisionArchitectureName.allCases)
    func recognisesEachStateDictAndItsClassCount(_ name: VisionArchitectureName) throws {
        let layout = try #require(Self.structures[name.rawValue]).stateDict.map { ($0.name, $0.shape) }
        #expect(try VisionArchitecture.recognize(layout) == (name, 1000))
        // A fine-tuned classifier for 10 classes is still the architecture.
        let tenClasses = layout.map { entry in
            entry.0 == name.classifierWeight || entry.0 == name.classifierBias ? (entry.0, [10] + entry.1.dropFirst()) : entry
        }
        #expect(try VisionArchitecture.recognize(tenClasses) == (name, 10))
    }

    @Test func aStateDictOfNoArchitectureNamesTheNearestAndTheFirstMismatch() throws {
        var layout = try #require(Self.structures["resnet18"]).stateDict.map { ($0.name, $0.shape) }
        let changed = try #require(layout.firstIndex { $0.0 == "layer1.0.conv1.weight" })
        layout[changed].1 = [32, 64, 3, 3]
        do {
            _ = try VisionArchitecture.recognize(layout)
            Issue.record("a changed shape was recognised")
        } catch let mismatch as VisionArchitectureMismatch {
            #expect(mismatch.nearest == .resnet18)
            #expect(mismatch.description.hasSuffix("nearest: resnet18, first mismatch: layer1.0.conv1.weight has shape [32, 64, 3, 3], expected [64, 64, 3, 3]"), "\(mismatch)")
            #expect(!mismatch.description.contains("\n"))
        }
        let mlp = [("0.weight", [256, 20]), ("0.bias", [256])]
        #expect(throws: VisionArchitectureMismatch.self) { try VisionArchitecture.recognize(mlp) }
    }

    /// torchvision's real MobileNetV2 checkpoint (mobilenet_v2-b0353104.pth): recognised, and its logits for the
    /// preprocessed photo agree with PyTorch's to 1e-4, with torchvision's top-5.
    @Test func realMobileNetV2AgreesWithTorchvision() throws {
        guard let url = try RealModels.url(RealModels.mobileNetV2Checkpoint) else { return }
        let archive = try ModelFileReader.open(path: url.path)
        #expect(try VisionArchitecture.recognize(archive) == (.mobilenetV2, 1000))
        let (name, model) = try VisionArchitecture.load(archive)
        #expect(name == .mobilenetV2 && !model.isTraining)
        // torchvision's preprocessed photo and logits live beside the photo, in the Images tests' fixtures.
        let expectPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ImagesTests/Fixtures/mobilenet_v2.chelsea.expect.safetensors").path
        let expect = try ModelFileReader.open(path: expectPath).stateDict()
        let start = ContinuousClock.now
        let logits = try Autograd.noGrad { try model(try #require(expect["input"])) }
        print("mobilenet_v2 forward at 1×3×224×224: \(ContinuousClock.now - start)")
        let expected = try #require(expect["logits"]).toArray()
        #expect(logits.shape == [1, 1000])
        for (index, (a, e)) in zip(logits.toArray(), expected).enumerated() {
            let ok = abs(a - e) <= 1e-4 * max(1, abs(e))
            #expect(ok, "logits[\(index)]: nnview \(a), PyTorch \(e)")
            if !ok { break }
        }
        let probabilities = try logits.softmax(dim: 1).toArray()
        let top5 = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(5)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("mobilenet_v2.expect.json"))))
        let expectedTop = try #require((json as? [String: [[Any]]])?["chelsea.png"])
        #expect(Array(top5) == expectedTop.map { $0[0] as! Int })
        for (index, row) in zip(top5, expectedTop) {
            #expect(abs(Double(probabilities[index]) - (row[2] as! Double)) < 1e-4, "\(row[1]): \(probabilities[index])")
        }
    }
}
