import NNCore
import Testing
@testable import NNModules

@Suite struct RegistryTests {
    let registry = ModuleRegistry.shared

    @Test func buildsEveryLayerByName() throws {
        let linear = try #require(try registry.make("Linear", ModuleArguments([.int(4), .int(8)], keyword: [("bias", .bool(false))])) as? Linear)
        #expect(linear.inFeatures == 4 && linear.outFeatures == 8 && !linear.hasBias)
        let lazy = try registry.make("LazyLinear", ModuleArguments(keyword: [("out_features", .int(3))]))
        #expect(lazy.summary == "LazyLinear(? → 3)")
        let norm = try #require(try registry.make("LayerNorm", ModuleArguments([.list([.int(2), .int(3)])])) as? LayerNorm)
        #expect(norm.normalizedShape == [2, 3])
        let gelu = try #require(try registry.make("GELU", ModuleArguments(keyword: [("approximate", .string("tanh"))])) as? GELU)
        #expect(gelu.approximate == .tanh)
        for name in ["ReLU", "Sigmoid", "Tanh", "Identity", "Softmax", "Flatten", "Dropout", "MLP", "FixedHiddenMLP", "NestMLP"] {
            #expect(try registry.make(name).typeName == name)
        }
        #expect(try registry.make("Embedding", ModuleArguments([.int(10), .int(3)])).summary == "Embedding(10 × 3)")
        #expect(try registry.make("Dropout", ModuleArguments(keyword: [("p", .float(0.2)), ("seed", .int(4))])).description
            == "Dropout(p=0.2, inplace=False)")
    }

    @Test func sequentialByPositionByNameAndTied() throws {
        let shared = try registry.make("LazyLinear", ModuleArguments([.int(8)]))
        let layers: [ModuleArgument] = try [.module(registry.make("LazyLinear", ModuleArguments([.int(8)]))),
                                            .module(registry.make("ReLU")), .module(shared), .module(registry.make("ReLU")),
                                            .module(shared), .module(registry.make("ReLU")),
                                            .module(registry.make("LazyLinear", ModuleArguments([.int(1)])))]
        let tied = try registry.make("Sequential", ModuleArguments(layers))
        #expect(try tied(Tensor.rand([2, 4])).shape == [2, 1])
        #expect(tied.namedParameters().map(\.name) == BookNetworks.tied().namedParameters().map(\.name))

        let named = try registry.make("Sequential", ModuleArguments(keyword: [
            ("hidden", .module(LazyLinear(256))), ("act", .module(ReLU())), ("out", .module(LazyLinear(10))),
        ]))
        #expect(try named(Tensor.rand([2, 20])).shape == [2, 10])
        #expect(named.stateDict().keys == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"])
        let mine = try registry.make("MySequential", ModuleArguments([.module(Linear(2, 3)), .module(ReLU())]))
        #expect(mine.namedChildren().map(\.name) == ["0", "1"])
    }

    @Test func wrongArgumentsAreClearErrors() {
        func message(_ name: String, _ arguments: ModuleArguments) -> String? {
            do {
                _ = try registry.make(name, arguments)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message("Linear", ModuleArguments([.int(4)])) == "Linear: missing argument 'out_features'")
        #expect(message("Linear", ModuleArguments([.int(4), .float(2.5)]))
            == "Linear: argument 'out_features' must be an integer, got a number 2.5")
        #expect(message("Linear", ModuleArguments([.int(4), .int(-2)]))
            == "Linear: argument 'out_features' must be non-negative, got -2")
        #expect(message("Sigmoid", ModuleArguments([.int(1)])) == "Sigmoid: takes at most 0 positional arguments (), got 1")
        // PyTorch's ReLU(True) is ReLU(inplace=True); inplace only saves memory there, so it is accepted and ignored.
        #expect(message("ReLU", ModuleArguments([.int(1)])) == "ReLU: argument 'inplace' must be a boolean, got an integer 1")
        #expect(message("ReLU", ModuleArguments([.int(1), .int(2)])) == "ReLU: takes at most 1 positional arguments (inplace), got 2")
        #expect(message("LazyLinear", ModuleArguments([.int(4)], keyword: [("out_features", .int(3))]))
            == "LazyLinear: argument 'out_features' given twice")
        #expect(message("Linear", ModuleArguments([.int(1), .int(2)], keyword: [("bais", .bool(true))]))
            == "Linear: unknown argument 'bais' (expected one of: in_features, out_features, bias)")
        #expect(message("Sequential", ModuleArguments([.int(3)])) == "Sequential: expected a module, got an integer 3")
        #expect(message("Sequential", ModuleArguments(keyword: [("a.b", .module(ReLU()))]))?.contains("invalid name 'a.b'") == true)
        #expect(message("Conv3d", ModuleArguments())?.hasPrefix("unknown module type 'Conv3d'") == true)
        #expect(message("Conv2d", ModuleArguments([.int(3), .int(4)])) == "Conv2d: missing argument 'kernel_size'")
        #expect(message("GELU", ModuleArguments([.string("sigmoid")]))?.contains("approximate") == true)
    }

    @Test func usersRegisterTheirOwnTypes() throws {
        final class Doubler: Module {
            override func forward(_ x: Tensor) throws -> Tensor { x * 2 }
        }
        let local = ModuleRegistry()
        local.register("Doubler") { arguments in
            _ = try ArgumentBinder(arguments, layer: "Doubler", parameters: [])
            return Doubler()
        }
        #expect(local.contains("Doubler"))
        #expect(!ModuleRegistry.shared.contains("Doubler"))
        #expect(try local.make("Doubler")(Tensor.ones([2])).toArray() == [2, 2])
        #expect(try local.make("Doubler").description == "Doubler()")
    }
}
