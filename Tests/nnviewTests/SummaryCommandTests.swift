import Foundation
import Testing

/// `nnview summary --json` on every fixture: names, shapes, dtypes, ties and totals as the libraries that wrote
/// the files define them (fixtures/README.md), and the text table on live models.
@Suite struct SummaryCommandTests {
    /// One expected tensor: name, shape, dtype.
    struct Expected: CustomStringConvertible {
        var name: String
        var shape: [Int]
        var dtype: String
        var description: String { "\(name) \(shape) \(dtype)" }
    }

    /// A fixture with its tensors (in any order), its tie groups and its distinct element total.
    struct Case: CustomStringConvertible, Sendable {
        var file: String
        var tensors: [(String, [Int], String)]
        var ties: [[String]] = []
        var total: Int
        var description: String { file }
    }

    static func mlp(_ dtype: String) -> [(String, [Int], String)] {
        [("0.weight", [256, 20], dtype), ("0.bias", [256], dtype), ("2.weight", [10, 256], dtype), ("2.bias", [10], dtype)]
    }

    static let tied: [(String, [Int], String)] = [
        ("0.weight", [8, 4], "F32"), ("0.bias", [8], "F32"), ("2.weight", [8, 8], "F32"), ("2.bias", [8], "F32"),
        ("4.weight", [8, 8], "F32"), ("4.bias", [8], "F32"), ("6.weight", [1, 8], "F32"), ("6.bias", [1], "F32"),
    ]

    static let chimera: [(String, [Int], String)] = [
        ("0.net.0.weight", [64, 20], "F32"), ("0.net.0.bias", [64], "F32"), ("0.net.2.weight", [32, 64], "F32"),
        ("0.net.2.bias", [32], "F32"), ("0.linear.weight", [16, 32], "F32"), ("0.linear.bias", [16], "F32"),
        ("1.weight", [20, 16], "F32"), ("1.bias", [20], "F32"), ("2.rand_weight", [20, 20], "F32"),
        ("2.linear.weight", [20, 20], "F32"), ("2.linear.bias", [20], "F32"),
    ]

    static let sharded: [(String, [Int], String)] = [
        ("0.weight", [128, 64], "F32"), ("0.bias", [128], "F32"), ("2.weight", [128, 128], "F32"),
        ("2.bias", [128], "F32"), ("4.weight", [10, 128], "F32"), ("4.bias", [10], "F32"),
    ]

    static let tiedGroups = [["2.weight", "4.weight"], ["2.bias", "4.bias"]]

    // Totals: tied net 4·8+8 + 8·8+8 + 8+1 = 121 (the shared 72 once); chimera 5112 incl. the 400-element buffer;
    // MLP 20·256+256+256·10+10 = 7946; sharded 64·128+128 + 128·128+128 + 128·10+10 = 26122.
    static let cases: [Case] = [
        Case(file: "safetensors/seed_tied.safetensors", tensors: tied, ties: tiedGroups, total: 121),
        Case(file: "safetensors/seed_chimera.safetensors", tensors: chimera, total: 5112),
        Case(file: "safetensors/dtypes.safetensors", tensors: [
            ("f32", [3, 4], "F32"), ("f16", [3, 4], "F16"), ("bf16", [3, 4], "BF16"), ("f64", [2, 2], "F64"),
            ("i64", [6], "I64"), ("i32", [2, 3], "I32"), ("i8", [3], "I8"), ("u8", [6], "U8"), ("bool", [3], "BOOL"),
            ("scalar", [], "F32"), ("empty", [0, 4], "F32"),
        ], total: 12 * 3 + 4 + 6 + 6 + 3 + 6 + 3 + 1 + 0),
        Case(file: "safetensors/model.safetensors.index.json", tensors: sharded, total: 26122),
        Case(file: "safetensors/model-00001-of-00002.safetensors",
             tensors: [("0.weight", [128, 64], "F32"), ("0.bias", [128], "F32"), ("2.bias", [128], "F32")], total: 8448),
        Case(file: "pytorch/seed_tied.pt", tensors: tied, ties: tiedGroups, total: 121),
        Case(file: "pytorch/seed_tied_legacy.pt", tensors: tied, ties: tiedGroups, total: 121),
        Case(file: "pytorch/seed_chimera.pt", tensors: chimera, total: 5112),
        Case(file: "pytorch/mlp.params", tensors: mlp("F32"), total: 7946),
        Case(file: "pytorch/mlp_f16.pt", tensors: mlp("F16"), total: 7946),
        Case(file: "pytorch/mlp_bf16.pt", tensors: mlp("BF16"), total: 7946),
        Case(file: "pytorch/tiny.pt", tensors: [("0.weight", [2, 3], "F32"), ("0.bias", [2], "F32")], total: 8),
        Case(file: "pytorch/x-file", tensors: [("tensor", [4], "F32")], total: 4),
        Case(file: "pytorch/x-files", tensors: [("0", [4], "F32"), ("1", [4], "F32")], total: 8),
        Case(file: "pytorch/mydict", tensors: [("x", [4], "F32"), ("y", [4], "F32")], total: 8),
        // Three views of one 6×5 storage with different layouts: not ties, each counted.
        Case(file: "pytorch/views.pt", tensors: [("t", [5, 6], "F32"), ("slice", [2, 5], "F32"), ("full", [6, 5], "F32")],
             total: 70),
        Case(file: "numpy/a.npy", tensors: [("a", [3, 4], "F32")], total: 12),
        Case(file: "numpy/fortran.npy", tensors: [("fortran", [3, 5], "F64")], total: 15),
        Case(file: "numpy/mlp.npz", tensors: mlp("F32"), total: 7946),
        Case(file: "numpy/mlp_compressed.npz", tensors: mlp("F32"), total: 7946),
        Case(file: "gguf/tiny.gguf", tensors: [
            ("token_embd.weight", [8, 256], "F32"), ("blk.0.attn_norm.weight", [4, 256], "F16"),
            ("blk.0.attn_q.weight", [4, 256], "Q8_0"), ("blk.0.attn_k.weight", [4, 256], "Q4_0"),
            ("blk.0.attn_v.weight", [4, 256], "Q4_1"), ("blk.0.ffn_up.weight", [4, 512], "Q4_K"),
            ("blk.0.ffn_down.weight", [4, 512], "Q6_K"),
        ], total: 8 * 256 + 4 * 256 * 4 + 4 * 512 * 2),
        Case(file: "reference/seed_tied.weights.safetensors", tensors: tied.filter { !$0.0.hasPrefix("4.") }, total: 121),
    ]

    /// Runs `nnview summary --json FILE` and parses the JSON.
    static func summary(_ arguments: [String]) throws -> [String: Any] {
        let run = try NNViewProcess.run(["summary", "--json"] + arguments)
        #expect(run.status == 0, "summary \(arguments) failed: \(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try #require(object as? [String: Any], "summary --json prints an object")
    }

    @Test(arguments: cases)
    func describesEveryFixture(_ fixture: Case) throws {
        let json = try Self.summary([Fixtures.path(fixture.file)])
        let parameters = try #require(json["parameters"] as? [[String: Any]])
        var seen: [String: (shape: [Int], dtype: String, count: Int, sharedWith: [String])] = [:]
        for parameter in parameters {
            let name = try #require(parameter["name"] as? String)
            seen[name] = (try #require(parameter["shape"] as? [Int]), try #require(parameter["dtype"] as? String),
                          try #require(parameter["count"] as? Int), try #require(parameter["shared_with"] as? [String]))
        }
        #expect(Set(seen.keys) == Set(fixture.tensors.map(\.0)), "\(fixture.file): names")
        #expect(parameters.count == fixture.tensors.count, "\(fixture.file): each name once")
        for (name, shape, dtype) in fixture.tensors {
            let entry = try #require(seen[name], "\(fixture.file): \(name) missing")
            #expect(entry.shape == shape, "\(fixture.file) \(name): shape \(entry.shape), expected \(shape)")
            #expect(entry.dtype == dtype, "\(fixture.file) \(name): dtype \(entry.dtype), expected \(dtype)")
            #expect(entry.count == shape.reduce(1, *), "\(fixture.file) \(name): count")
            let group = fixture.ties.first { $0.contains(name) } ?? [name]
            #expect(Set(entry.sharedWith) == Set(group).subtracting([name]), "\(fixture.file) \(name): shared_with \(entry.sharedWith)")
        }
        #expect(json["total_parameters"] as? Int == fixture.total, "\(fixture.file): total \(json["total_parameters"] ?? "none")")
    }

    @Test func dtypesFixtureKeepsItsMetadata() throws {
        let json = try Self.summary([Fixtures.path("safetensors/dtypes.safetensors")])
        let metadata = try #require(json["metadata"] as? [String: String])
        #expect(metadata["format"] != nil && metadata["note"] != nil, "\(metadata)")
    }

    @Test func liveTiedModelCountsTheSharedLayerOnce() throws {
        let json = try Self.summary(["tied"])
        let parameters = try #require(json["parameters"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: parameters.map { ($0["name"] as! String, $0) })
        #expect(byName["2.weight"]?["shared_with"] as? [String] == ["4.weight"])
        #expect(byName["4.weight"]?["shared_with"] as? [String] == ["2.weight"])
        #expect(json["total_parameters"] as? Int == 121)
        let modules = try #require(json["modules"] as? [[String: Any]])
        let four = try #require(modules.first { $0["name"] as? String == "4" })
        #expect(four["shared_with"] as? [String] == ["2"])
        #expect(four["output_shape"] as? [Int] == [2, 8], "output shape from the forward trace of rand(2, 4)")
        #expect(modules.first { $0["name"] as? String == "6" }?["output_shape"] as? [Int] == [2, 1])
    }

    @Test func weightsBoundToASpecAreSummarisedLive() throws {
        let json = try Self.summary([Fixtures.path("reference/seed_chimera.nn"),
                                     "--weights", Fixtures.path("reference/seed_chimera.weights.safetensors")])
        #expect(json["total_parameters"] as? Int == 5112)
        #expect(json["trainable_parameters"] as? Int == 5112 - 400, "the FixedHiddenMLP buffer is not trainable")
        let parameters = try #require(json["parameters"] as? [[String: Any]])
        #expect(parameters.first { $0["name"] as? String == "2.rand_weight" }?["trainable"] as? Bool == false)
    }

    @Test func tableShowsTypesShapesAndTotals() throws {
        let run = try NNViewProcess.run(["summary", "tied"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let four = try #require(lines.first { $0.hasPrefix("  4 ") }, "\(run.stdout)")
        #expect(four.contains("Linear") && four.contains("[2, 8]") && four.contains("72") && four.contains("= 2"), "\(four)")
        #expect(run.stdout.contains("Total parameters: 121"), "\(run.stdout)")
    }

    @Test func weightsFileTableIsTheTreeOfDottedNames() throws {
        let run = try NNViewProcess.run(["summary", Fixtures.path("gguf/tiny.gguf")])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("blk ") }, "\(run.stdout)")
        let folder = try #require(lines.firstIndex { $0.hasPrefix("    attn_q ") }, "blk.0.attn_q is a folder two levels down")
        let leaf = lines[folder + 1]
        #expect(leaf.hasPrefix("      weight ") && leaf.contains("Q8_0") && leaf.contains("[4, 256]"), "\(run.stdout)")
    }

    @Test func hugeFileIsSummarisedFromItsHeaderAlone() throws {
        // An 8 GiB tensor in a sparse file: reading its data would take seconds and gigabytes; the header is 80 bytes.
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("huge.safetensors").path
        let dataBytes = 65536 * 32768 * 4
        var json = Array(#"{"big":{"dtype":"F32","shape":[65536,32768],"data_offsets":[0,\#(dataBytes)]}}"#.utf8)
        json += Array(repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
        var header = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) }
        header += json
        #expect(FileManager.default.createFile(atPath: path, contents: Data(header)))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(header.count + dataBytes))
        try handle.close()

        let run = try NNViewProcess.run(["summary", "--json", path], timeout: 10)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"total_parameters\": 2147483648"), "\(run.stdout)")
        #expect(run.seconds < 2, "header only: \(run.seconds) s")
        // Peak memory stays far below the 8 GiB a read of the data would need (GNU time reports kilobytes).
        let timed = try NNViewProcess.run(["/usr/bin/time", "-f", "%M", NNViewProcess.binary.path, "summary", path],
                                          viaShell: true, timeout: 10)
        let peakKilobytes = Int(timed.stderrLines.last ?? "") ?? Int.max
        #expect(peakKilobytes < 200_000, "peak resident memory \(peakKilobytes) kB")
    }

    @Test func modelFolderOpensAsOneModelWithItsConfig() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(atPath: Fixtures.path("safetensors/seed_tied.safetensors"),
                                         toPath: scratch.appendingPathComponent("model.safetensors").path)
        try Data(#"{"model_type": "tied", "hidden_size": 8}"#.utf8).write(to: scratch.appendingPathComponent("config.json"))
        let json = try Self.summary([scratch.path])
        #expect(json["total_parameters"] as? Int == 121)
        let metadata = try #require(json["metadata"] as? [String: String])
        #expect(metadata["model_type"] == "tied" && metadata["hidden_size"] == "8", "config.json shows as metadata: \(metadata)")
    }
}
