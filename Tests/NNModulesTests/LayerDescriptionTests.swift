import NNCore
import Testing
@testable import NNModules

/// Every registered layer's description against the module it builds: the parameters and buffers it describes
/// are the built module's state dict (names, shapes, which are buffers), and the activation it describes for an
/// input is what a real forward makes. A layer added without a description does not compile (every requirement of
/// `LayerDescription` is without a default); a description that disagrees with its module fails here.
@Suite struct LayerDescriptionTests {
    static let names = ModuleRegistry.shared.names

    @Test func everyRegisteredNameHasADescription() {
        let undescribed = Self.names.filter { ModuleRegistry.shared.description(of: $0) == nil }
        #expect(undescribed.isEmpty, "registered without a description: \(undescribed)")
        #expect(Set(ModuleRegistry.builtinDescriptions.map(\.name)).count == ModuleRegistry.builtinDescriptions.count,
                "two descriptions share a name")
    }

    @Test(arguments: names)
    func describedTensorsAndActivationsMatchTheBuiltModule(_ name: String) throws {
        let description = try #require(ModuleRegistry.shared.description(of: name))
        let examples = try description.examples()
        #expect(!examples.isEmpty, "\(name) has no example")
        #expect(Set(description.arguments.map(\.name)).count == description.arguments.count, "\(name) repeats an argument")
        for (index, example) in examples.enumerated() {
            let what = "\(name) example \(index + 1)"
            let prepared = try ModuleRegistry.shared.prepare(name, example.arguments)
            let module = try prepared.make()
            #expect(module.typeName == name, "\(what): built a \(module.typeName)")
            #expect(!prepared.label.isEmpty)
            let described = try #require(prepared.tensors)

            var activations: [(Module, LayerActivation)] = []
            let walk = ActivationWalk { module, activation in activations.append((module, activation)) }
            let shape = try walk.output(of: module, input: example.input.shape)
            let output = try Autograd.noGrad { try module(example.input) }
            #expect(shape == output.shape, "\(what): described output \(shape), the forward gives \(output.shape)")
            // A container's children are walked too, each before the container.
            #expect(activations.last?.0 === module)

            // After the forward, lazy sizes are known: every described tensor is in the state dict with a shape it
            // accepts, and nothing else is (a container's children are described by their own descriptions).
            let own = ownTensors(of: module)
            #expect(Set(described.map(\.name)) == Set(own.keys), "\(what): described \(described), built \(own.keys.sorted())")
            for tensor in described {
                guard let actual = own[tensor.name] else { continue }
                #expect(tensor.shape.accepts(actual.shape), "\(what): \(tensor) but the module holds \(actual.shape)")
                #expect(tensor.isBuffer == actual.isBuffer, "\(what): \(tensor.name) is\(actual.isBuffer ? "" : " not") a buffer")
            }
        }
    }

    /// The parameters and buffers a module holds, less those of children that were arguments (a container's).
    private func ownTensors(of module: Module) -> [String: (shape: [Int], isBuffer: Bool)] {
        var result: [String: (shape: [Int], isBuffer: Bool)] = [:]
        let childTensors: Set<String> = module is Sequential || module is MySequential
            ? Set(module.stateDict().keys) : []
        for parameter in module.namedParameters() where !childTensors.contains(parameter.name) {
            if let tensor = parameter.tensor { result[parameter.name] = (tensor.shape, false) }
        }
        for buffer in module.namedBuffers() where !childTensors.contains(buffer.name) {
            result[buffer.name] = (buffer.tensor.shape, true)
        }
        return result
    }

    @Test func sizesNoIntCanHoldAreReportedNotTrapped() throws {
        let conv = try ModuleRegistry.shared.prepare("Conv2d", ModuleArguments([.int(1), .int(1), .int(3)],
                                                                                keyword: [("padding", .int(Int.max / 2))]))
        let module = try conv.make()
        #expect(throws: ActivationTooLarge.self) {
            _ = try ActivationWalk { _, _ in }.output(of: module, input: [1, 1, 4, 4])
        }
    }

    @Test func aModuleMadeWithoutADescriptionStopsTheWalk() {
        #expect(throws: UndescribedModule.self) { _ = try ActivationWalk { _, _ in }.output(of: ReLU(), input: [2]) }
    }

    @Test func noneKeepsTheDefaultUnlessTheLayerGivesItAMeaning() throws {
        let norm = try #require(try ModuleRegistry.shared.make("BatchNorm1d", ModuleArguments([.int(3)], keyword: [("momentum", .none)])) as? BatchNorm1d)
        #expect(norm.momentum == nil)
        let plain = try #require(try ModuleRegistry.shared.make("BatchNorm1d", ModuleArguments([.int(3)])) as? BatchNorm1d)
        #expect(plain.momentum == 0.1)
        let flatten = try #require(try ModuleRegistry.shared.make("Flatten", ModuleArguments(keyword: [("start_dim", .none)])) as? Flatten)
        #expect(flatten.startDim == 1)
    }
}
