import NNCore
import NNModules
import Testing
@testable import FileFormats
@testable import ModelFiles

/// Specs written the way PyTorch code reads: module paths, tuples, `.5`, `inplace=`, LayerNorm's `bias=`,
/// Embedding's `padding_idx`, loss modules, and layers that reach across the batch in the dry forward.
@Suite struct PyTorchSpellingTests {
    private func failure(_ source: String) -> String? {
        do {
            _ = try ModelSpec.parse(source, file: "t.nn")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func modulePathsAreTheSameLayers() throws {
        let spec = try ModelSpec.parse("""
            model = nn.Sequential(nn.Linear(4, 3), torch.nn.ReLU(), nn.Linear(3, 2))
            input = torch.rand(2, 4)
            """)
        #expect(spec.model.stateDict().keys == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(spec.input?.shape == [2, 4])
        #expect(SpecParser.withoutModulePath("torch.nn.functional.relu") == "torch.nn.functional.relu")
        #expect(failure("model = F.relu(2)\n")?.contains("F.relu") == true)
        #expect(failure("self.net = Linear(2, 2)\nmodel = Linear(2, 2)\n")
                == "t.nn:1:1: 'self.net' cannot be assigned: a statement's name is a plain name without dots")
    }

    @Test func tuplesMeanListsAndParenthesesGroup() throws {
        let document = try SpecParser.parse("a = (6,)\nb = (2, 4)\nc = ()\nd = (7)\nmodel = Linear(2, 2)\n")
        guard case .list(let one, _) = document.statement(named: "a")?.value,
              case .list(let two, _) = document.statement(named: "b")?.value,
              case .list(let none, _) = document.statement(named: "c")?.value,
              case .integer(7, _) = document.statement(named: "d")?.value else {
            Issue.record("tuples did not parse as lists")
            return
        }
        #expect(one.count == 1 && two.count == 2 && none.isEmpty)
        let spec = try ModelSpec.parse("model = Sequential(Linear(4, 6), LayerNorm((6,)))\ninput = rand((3, 4))\n")
        #expect(spec.input?.shape == [3, 4])
        #expect(failure("model = Linear((2, 3)\n") != nil)
    }

    @Test func leadingDotFloats() throws {
        let tokens = try SpecLexer.tokenize("a = .5\nb = 1.e-3\n")
        #expect(tokens.map(\.kind).contains(.float(0.5)))
        #expect(tokens.map(\.kind).contains(.float(1e-3)))
        #expect(failure("model = Dropout(p=.)\n")?.contains("unexpected character '.'") == true)
    }

    @Test func inplaceIsAcceptedAndLayerNormBiasIsOptional() throws {
        let spec = try ModelSpec.parse("""
            model = Sequential(Linear(4, 6), ReLU(inplace=True), Dropout(0.0, inplace=False), LayerNorm(6, bias=False))
            input = rand(2, 4)
            """)
        #expect(spec.model.stateDict().keys == ["0.weight", "0.bias", "3.weight"])
        #expect(failure("model = ReLU(inplace=2)\n") == "t.nn:1:9: ReLU: argument 'inplace' must be a boolean, got an integer 2")
    }

    @Test func lossModulesNameTheLoss() throws {
        let ce = try ModelSpec.parse("model = Linear(4, 3)\ninput = rand(2, 4)\ntarget = randint(0, 3, 2)\nloss = nn.CrossEntropyLoss()\n")
        #expect(ce.loss == .crossEntropy)
        let mse = try ModelSpec.parse("model = Linear(4, 3)\ninput = rand(2, 4)\ntarget = rand(2, 3)\nloss = MSELoss()\n")
        #expect(mse.loss == .mse)
        #expect(failure("model = Linear(4, 3)\nloss = MSELoss(reduction=\"sum\")\n")?.contains("loss must be one of") == true)
    }

    @Test func paddingRowStartsAtZeroAndGetsNoGradient() throws {
        let table = try Embedding(5, 3, paddingIndex: -1)
        #expect(table.paddingIndex == 4)
        let weight = try table.parameter("weight")
        #expect(try weight.slice(dim: 0, start: 4, end: 5).toArray() == [0, 0, 0])
        try weight.copyData(from: Tensor.arange(15).reshape([5, 3]))
        let output = try table(try Tensor([4, 1, 4], shape: [3]))
        #expect(output.toArray() == [12, 13, 14, 3, 4, 5, 12, 13, 14], "the padding row's value is still used")
        try output.sum().backward()
        #expect(try #require(weight.grad).toArray() == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        // Values pass through untouched, infinities included (no masking arithmetic on the forward values).
        try weight.copyData(from: Tensor(Array(repeating: Float.infinity, count: 15), shape: [5, 3]))
        #expect(try table(try Tensor([4, 1], shape: [2])).toArray().allSatisfy { $0 == .infinity })
        #expect(throws: ModuleError.self) { try Embedding(5, 3, paddingIndex: 5) }
        #expect(failure("model = Embedding(5, 3, padding_idx=-6)\ninput = randint(0, 5, 2)\n")?
            .contains("padding_idx -6 must be within num_embeddings (5)") == true)
    }

    @Test func layersAcrossTheBatchPassTheDryForward() throws {
        // One sample alone cannot go through Flatten(0) into Linear(8, …), nor LayerNorm over [2, 4]; the whole
        // (small) batch can.
        let flat = try ModelSpec.parse("model = Sequential(Flatten(0), Linear(8, 3))\ninput = rand(2, 4)\n")
        #expect(try flat.model(try #require(flat.input)).shape == [3])
        let norm = try ModelSpec.parse("model = Sequential(Linear(3, 4), LayerNorm([2, 4]))\ninput = rand(2, 3)\n")
        #expect(try norm.model(try #require(norm.input)).shape == [2, 4])
        // A batch too large to run whole is still refused before it is allocated, at the layer that needs it.
        let large = failure("model = Sequential(Flatten(0), Linear(8, 3))\ninput = rand(2000000, 4)\n")
        #expect(large?.contains("the input does not fit") == true, "\(large ?? "built")")
    }
}

extension PyTorchSpellingTests {
    /// Sizes are checked before allocation with every keyword each weight-holding layer takes: a keyword the size
    /// check does not know would make it skip the check and allocate what the spec claims.
    @Test(arguments: [
        "Linear(1000000, 1000000, bias=False)",
        "Linear(in_features=1000000, out_features=1000000, bias=True)",
        "Embedding(100000000000, 100000, padding_idx=0)",
        "Embedding(num_embeddings=100000000000, embedding_dim=100000, padding_idx=-1)",
        "LayerNorm((100000, 100000, 100000), eps=1e-5, elementwise_affine=True, bias=False)",
        "MyLinear(1000000, 1000000)",
        "MyLinear(in_units=1000000, units=1000000)",
        "Linear(9223372036854775807, 2)",
        "MyLinear(9223372036854775807, 9223372036854775807)",
    ])
    func hugeLayersAreRefusedWhateverTheKeywords(_ layer: String) throws {
        let message = failure("model = \(layer)\ninput = rand(2, 4)\n")
        // Past the budget, or past what an Int can count (a size near Int.max must not overflow the check).
        let refused = message.map { $0.contains("exceeds the limit") || $0.contains("is too large") } ?? false
        #expect(refused, "\(message ?? "built")")
    }
}

extension PyTorchSpellingTests {
    @Test func aKeywordSetToNoneMeansItsDefault() throws {
        let explicit = try ModelSpec.parse("model = Sequential(Linear(4, 3), nn.Softmax(dim=None))\ninput = rand(2, 4)\n")
        let implicit = try ModelSpec.parse("model = Sequential(Linear(4, 3), nn.Softmax())\ninput = rand(2, 4)\n")
        try implicit.model.loadStateDict(explicit.model.stateDict())
        let x = Tensor.rand([2, 4])
        #expect(try explicit.model(x).toArray() == implicit.model(x).toArray())
        #expect(failure("model = Linear(4, None)\n")?.isEmpty == false, "a positional None is not a size")
    }

    @Test func orderedDictNamesSequentialChildren() throws {
        let pairs = try ModelSpec.parse("""
            model = nn.Sequential(collections.OrderedDict([
                ("fc1", nn.Linear(4, 8)),
                ("act", nn.ReLU()),
                ("fc2", nn.Linear(8, 2)),
            ]))
            input = rand(3, 4)
            """)
        #expect(pairs.model.stateDict().keys == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        let keywords = try ModelSpec.parse("model = Sequential(OrderedDict(fc=Linear(4, 2)))\ninput = rand(3, 4)\n")
        #expect(keywords.model.stateDict().keys == ["fc.weight", "fc.bias"])
        #expect(failure("model = Sequential(OrderedDict([(\"a\", ReLU()), (\"a\", ReLU())]))\n")
                == "t.nn:1:9: Sequential: the name 'a' is used twice")
        #expect(failure("model = Sequential(OrderedDict([(1, ReLU())]))\n")
                == "t.nn:1:33: each OrderedDict entry must be a (\"name\", module) pair")
        #expect(failure("model = OrderedDict([(\"a\", ReLU())])\n")?.contains("unknown layer 'OrderedDict'") == true)
    }
}

extension PyTorchSpellingTests {
    @Test func tensorMakersTakeSizeAndLiteralTensors() throws {
        let spec = try ModelSpec.parse("""
            model = Linear(2, 3)
            input = torch.tensor([[0.5, 1.0], [2.0, -1.0]])
            target = torch.randint(0, 3, size=(2,))
            loss = nn.CrossEntropyLoss()
            """)
        #expect(spec.input?.toArray() == [0.5, 1.0, 2.0, -1.0] && spec.input?.shape == [2, 2])
        #expect(spec.target?.shape == [2])
        #expect(try ModelSpec.parse("model = Linear(4, 3)\ninput = rand(size=(5, 4))\n").input?.shape == [5, 4])
        #expect(failure("model = Linear(4, 3)\ninput = rand(2, size=(2, 4))\n")
                == "t.nn:2:17: rand: the shape is given both by position and by size=")
        #expect(failure("model = Linear(4, 3)\ninput = rand(size=(2, 4), dtype=1)\n")
                == "t.nn:2:27: rand takes no keyword arguments but size=, got 'dtype'")
    }
}
