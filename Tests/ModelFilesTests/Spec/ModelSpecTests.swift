import Foundation
import NNCore
import NNModules
import Testing
@testable import FileFormats
@testable import ModelFiles

/// Fixtures next to this file's folder: Tests/ModelFilesTests/Fixtures.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
/// The repository's examples/ folder.
private let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

@Suite struct ModelSpecTests {
    /// The full `file:line:column: message` of building `source`, or nil if it built.
    private func failure(_ source: String, limits: SpecLimits = .standard) -> String? {
        do {
            _ = try ModelSpec.parse(source, file: "t.nn", limits: limits)
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: - PyTorch's reference cases

    @Test(arguments: ["seed_sequential", "seed_mlp_class", "seed_chimera", "seed_tied"])
    func referenceCaseNamesAndShapesMatchPyTorch(name: String) throws {
        let folder = fixtures.appendingPathComponent("reference")
        let spec = try ModelSpec.load(path: folder.appendingPathComponent("\(name).nn").path)
        let expected = try SafetensorsHeaderForTests.shapes(
            of: folder.appendingPathComponent("\(name).weights.safetensors"))
        var built: [String: [Int]] = [:]
        for parameter in spec.model.namedParameters() {
            built[parameter.name] = try #require(parameter.tensor, "\(parameter.name) was not materialised").shape
        }
        for (bufferName, tensor) in spec.model.namedBuffers() {
            built[bufferName] = tensor.shape
        }
        #expect(built == expected)
        #expect(spec.input?.shape == [2, name == "seed_tied" ? 4 : 20])
    }

    @Test func tiedNetworkSharesOneInstance() throws {
        let spec = try ModelSpec.parse("""
            shared = LazyLinear(8)
            model = Sequential(LazyLinear(8), ReLU(), shared, ReLU(), shared, ReLU(), LazyLinear(1))
            input = rand(2, 4)
            """)
        let sequential = try #require(spec.model as? Sequential)
        let second = try sequential[2], fourth = try sequential[4]
        #expect(second === fourth)
        #expect(spec.model.namedParameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias",
                                                             "6.weight", "6.bias"])
        #expect(spec.output?.shape == [2, 1])
    }

    // MARK: - Settings

    @Test func settingsAreRead() throws {
        let spec = try ModelSpec.parse("""
            model = Sequential(hidden=LazyLinear(16), act=ReLU(), out=Linear(16, 3, bias=false))
            input = randn(4, 5)
            target = [2, 0, 1, 1]
            loss = "cross-entropy"
            lr = 1e-2
            seed = 11
            """)
        #expect(spec.loss == .crossEntropy)
        #expect(spec.learningRate == 0.01)
        #expect(spec.seed == 11)
        #expect(spec.target?.toArray() == [2, 0, 1, 1])
        #expect(spec.model.namedParameters().map(\.name) == ["hidden.weight", "hidden.bias", "out.weight"])
        #expect(spec.output?.shape == [4, 3])
    }

    @Test func theSeedMakesTheSameInputAndWeights() throws {
        let source = "model = LazyLinear(3)\ninput = rand(2, 4)\nseed = 5"
        let first = try ModelSpec.parse(source)
        let second = try ModelSpec.parse(source)
        let other = try ModelSpec.parse(source.replacingOccurrences(of: "seed = 5", with: "seed = 6"))
        #expect(first.input?.toArray() == second.input?.toArray())
        #expect(first.input?.toArray() != other.input?.toArray())
        let firstWeight = try first.model.parameter("weight").toArray()
        let secondWeight = try second.model.parameter("weight").toArray()
        #expect(firstWeight == secondWeight)
    }

    @Test func randintAndNestedListTargets() throws {
        let spec = try ModelSpec.parse("""
            model = Linear(3, 2)
            input = ones(4, 3)
            target = randint(0, 2, 4)
            """)
        let classes = try #require(spec.target).toArray()
        #expect(classes.count == 4 && classes.allSatisfy { $0 == 0 || $0 == 1 })
        let mse = try ModelSpec.parse("model = Linear(3, 2)\ninput = zeros(2, 3)\ntarget = [[0.5, 1], [2, -1.5]]\nloss = mse")
        #expect(mse.target?.shape == [2, 2])
        #expect(mse.target?.toArray() == [0.5, 1, 2, -1.5])
    }

    @Test func sizesMayBeNamedValues() throws {
        let spec = try ModelSpec.parse("width = 6\nmodel = Linear(width, 2)\ninput = rand(1, width)")
        #expect(try spec.model.parameter("weight").shape == [2, 6])
    }

    @Test func userRegisteredModuleTypes() throws {
        let registry = ModuleRegistry()
        registry.register("Doubler") { arguments in
            _ = try ArgumentBinder(arguments, layer: "Doubler", parameters: [])
            return Sequential(Identity(), Identity())
        }
        let spec = try ModelSpec.parse("model = Sequential(Doubler(), LazyLinear(2))\ninput = rand(1, 3)",
                                       registry: registry)
        #expect(spec.model.namedParameters().map(\.name) == ["1.weight", "1.bias"])
    }

    // MARK: - Errors

    @Test func unknownLayerSuggestsTheClosest() {
        #expect(failure("model = Sequential(Lineer(4, 8))")
                == "t.nn:1:20: unknown layer 'Lineer' (did you mean 'Linear'?)")
        #expect(failure("model = Relu()") == "t.nn:1:9: unknown layer 'Relu' (did you mean 'ReLU'?)")
        #expect(failure("model = Convolution(3)") == "t.nn:1:9: unknown layer 'Convolution'")
    }

    @Test func wrongArgumentsAreReportedAtTheCall() {
        #expect(failure("model = Sequential(\n  Linear(4, 8, 9, 10))")
                == "t.nn:2:3: Linear: takes at most 3 positional arguments (in_features, out_features, bias), got 4")
        #expect(failure("model = Linear(4, 8, bais=false)")?
                    .hasPrefix("t.nn:1:9: Linear: unknown argument 'bais'") == true)
        #expect(failure("model = Linear(4, \"8\")")?.hasPrefix("t.nn:1:9: Linear: argument 'out_features' must be an integer") == true)
        #expect(failure("model = Linear(4)") == "t.nn:1:9: Linear: missing argument 'out_features'")
        #expect(failure("model = Sequential(ReLU(), 3)")?.hasPrefix("t.nn:1:9: Sequential: expected a module") == true)
        #expect(failure("x = rand(2)\nmodel = Sequential(x)") == "t.nn:2:20: Sequential cannot take a tensor as an argument")
    }

    @Test func shapeErrorNamesTheLayerPathAndShapes() {
        let message = failure("""
            model = Sequential(
                Linear(4, 8),
                ReLU(),
                Linear(5, 1),
            )
            input = rand(2, 4)
            """)
        #expect(message?.hasPrefix("t.nn:4:5: the input does not fit: model.2 (Linear(5 → 1)) given shape [2, 8]: ") == true)
    }

    @Test func shapeErrorInsideNestedContainers() {
        let message = failure("""
            block = Sequential(Linear(3, 3), Linear(4, 2))
            model = Sequential(Identity(), block)
            input = rand(2, 3)
            """)
        #expect(message?.hasPrefix("t.nn:1:34: the input does not fit: model.1.1 (Linear(4 → 2)) given shape [2, 3]") == true)
    }

    @Test func settingErrors() {
        #expect(failure("model = ReLU()\nloss = msee") == "t.nn:2:8: unknown loss 'msee'; expected sum, mean, mse or cross-entropy (did you mean 'mse'?)")
        #expect(failure("model = ReLU()\ninput = ReLU()")
                == "t.nn:2:9: input must be a tensor: rand, randn, zeros or ones with a shape")
        #expect(failure("model = rand(2)") == "t.nn:1:9: model must be a module such as Sequential(…) or MLP(), got a tensor")
        #expect(failure("model = ReLU()\nseed = -1") == "t.nn:2:8: seed must be a non-negative integer literal, e.g. seed = 7")
        #expect(failure("model = ReLU()\nlr = \"fast\"") == "t.nn:2:6: lr must be a number, e.g. lr = 0.1, got a string")
        #expect(failure("model = ReLU()\ninput = rand(2, 3)\nloss = mse")
                == "t.nn:3:8: loss mse needs a target: add e.g. target = rand(2, 1)")
        #expect(failure("model = Linear(3, 4)\ninput = rand(2, 3)\ntarget = [0, 4]\nloss = cross_entropy")
                == "t.nn:3:10: target class 4.0 is not an index in 0..<4")
        #expect(failure("model = Linear(3, 4)\ninput = rand(2, 3)\ntarget = rand(2, 3)\nloss = mse")
                == "t.nn:3:10: target of shape [2, 3] does not fit the model's output of shape [2, 4] for mse")
        #expect(failure("model = ReLU()\ninput = rand(2, -3)") == "t.nn:2:17: rand: sizes cannot be negative, got -3")
        #expect(failure("model = ReLU()\ninput = rand()") == "t.nn:2:9: rand needs a shape, e.g. rand(2, 4)")
        #expect(failure("model = ReLU()\ntarget = [[1], 2]") == "t.nn:2:16: a list's elements must all be lists or all numbers, with equal lengths")
    }

    @Test func sizesAreCheckedBeforeAllocating() {
        #expect(failure("model = Linear(100000, 100000)")
                == "t.nn:1:9: Linear(100000, 100000) needs 10000100000 elements, which with the 0 already used "
                   + "exceeds the limit of 134217728 elements (512 MiB of Float32)")
        #expect(failure("model = ReLU()\ninput = rand(1e6, 1e6)")?
                    .hasPrefix("t.nn:2:9: rand(1000000, 1000000) needs 1000000000000 elements") == true)
        #expect(failure("model = ReLU()\ninput = rand(99999999999, 99999999999, 99999999999)")?
                    .hasPrefix("t.nn:2:9: rand(99999999999, 99999999999, 99999999999) is too large") == true)
        #expect(failure("model = Embedding(1000000, 100000)")?.hasPrefix("t.nn:1:9: Embedding(1000000, 100000) needs") == true)
        #expect(failure("model = LazyLinear(100000)\ninput = rand(2, 100000)")?
                    .hasPrefix("t.nn:1:9: LazyLinear(100000) with inputs up to 100000 wide needs") == true)
        let small = SpecLimits(maxElements: 100)
        #expect(failure("model = Linear(9, 9)\ninput = rand(1, 9)", limits: small) == nil)
        #expect(failure("model = Linear(9, 9)\ninput = rand(2, 9)", limits: small)?
                    .hasPrefix("t.nn:2:9: rand(2, 9) needs 18 elements, which with the 90 already used") == true)
        // Found by the spec fuzzer: an empty input passes the budget, but its batch of activations would not.
        #expect(failure("model = MLP()\ninput = rand(55555550, 0)")?
                    .hasPrefix("t.nn:1:9: the input's batch of 55555550 makes activations of 256 elements per sample") == true)
        #expect(failure("model = Linear(1, 256)\ninput = rand(100000000, 1)")?
                    .contains("more than the limit of 134217728 elements") == true)
    }

    @Test func unreadableFilesAreModelFileErrors() {
        #expect(throws: ModelFileError.self) { try ModelSpec.load(path: "/nonexistent/x.nn") }
        #expect(throws: ModelFileError.self) { try ModelSpec.load(path: fixtures.path) }
    }

    // MARK: - examples/

    @Test(arguments: ["tied", "sequential", "mlp", "mysequential", "fixedhidden", "nest", "chimera", "classifier",
                      "transformer"])
    func examplesBuildAndRunAForwardPass(name: String) throws {
        let spec = try ModelSpec.load(path: examples.appendingPathComponent("\(name).nn").path)
        let input = try #require(spec.input)
        let output = try spec.model(input)
        #expect(output.shape == spec.output?.shape)
        #expect(spec.model.namedParameters().allSatisfy { $0.tensor != nil })
        let values = output.toArray()
        #expect(values.allSatisfy { $0.isFinite })
    }
}

/// Specs built on several threads at once get the weights their seed gives (the fixed seed is the spec's own).
@Suite struct ModelSpecSeedTests {
    @Test func parallelBuildsOfOneSpecHaveEqualWeights() async throws {
        let source = "seed = 3\nmodel = Sequential(LazyLinear(16), ReLU(), Linear(16, 4))\ninput = rand(2, 5)"
        let reference = try ModelSpec.parse(source).model.stateDict().entries.map { $0.tensor!.toArray() }
        let builds = try await withThrowingTaskGroup(of: [[Float]].self) { group in
            for _ in 0 ..< 8 {
                group.addTask { try ModelSpec.parse(source).model.stateDict().entries.map { $0.tensor!.toArray() } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(builds.count == 8)
        #expect(builds.allSatisfy { $0 == reference })
    }
}
