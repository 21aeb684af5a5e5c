import Foundation
import ModelFiles
import Testing

/// `nnview diff` and `nnview convert`: round trips through safetensors and npz keep names, shapes and values
/// (and ties, through safetensors), and diff reports what differs.
@Suite struct DiffAndConvertTests {
    func convert(_ input: String, _ output: String) throws {
        let run = try NNViewProcess.run(["convert", input, output])
        #expect(run.status == 0, "convert \(input) → \(output): \(run.stderr)")
    }

    @Test(arguments: ["safetensors/seed_chimera.safetensors", "safetensors/dtypes.safetensors", "pytorch/views.pt",
                      "numpy/fortran.npy", "pytorch/mlp_f16.pt"])
    func safetensorsToNpzAndBackIsIdentical(_ fixture: String) throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let first = scratch.appendingPathComponent("a.safetensors").path
        let npz = scratch.appendingPathComponent("a.npz").path
        let second = scratch.appendingPathComponent("b.safetensors").path
        try convert(Fixtures.path(fixture), first)
        try convert(first, npz)
        try convert(npz, second)
        let run = try NNViewProcess.run(["diff", first, second])
        // Like cmp: 0 when they match, 1 when they differ (here only in a dtype).
        #expect(run.status == (fixture == "safetensors/dtypes.safetensors" ? 1 : 0), "\(run.stdout)")
        if fixture == "safetensors/dtypes.safetensors" {
            // NumPy has no bfloat16: the npz holds its values as float32, equal in value.
            #expect(run.stdout.hasPrefix("dtype differs: bf16: BF16 vs F32\n"), "\(run.stdout)")
            #expect(run.stdout.contains("11 common tensors, 0 with different values"), "\(run.stdout)")
            return
        }
        #expect(run.stdout.contains("identical:"), "\(fixture): \(run.stdout)")
        // Bit-exact bytes too: the same tensors written by the same writer.
        let a = try ModelFileReader.open(path: first)
        let b = try ModelFileReader.open(path: second)
        #expect(a.tensors.map(\.name).sorted() == b.tensors.map(\.name).sorted())
        for record in a.tensors {
            let other = try #require(b.tensor(named: record.name))
            #expect(record.type == other.type && record.shape == other.shape, "\(record.name)")
            #expect(Array(try record.rowMajorBytes().bytes) == Array(try other.rowMajorBytes().bytes), "\(record.name) bytes")
        }
    }

    @Test func tiesSurviveSafetensors() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("tied.safetensors").path
        try convert(Fixtures.path("pytorch/seed_tied.pt"), out)
        let archive = try ModelFileReader.open(path: out)
        #expect(archive.metadataValue("4.weight") == "2.weight", "stored once, 4.weight an alias")
        #expect(Set(archive.tiedGroups.map { Set($0) }) == [["2.weight", "4.weight"], ["2.bias", "4.bias"]])
        let diff = try NNViewProcess.run(["diff", Fixtures.path("pytorch/seed_tied.pt"), out])
        #expect(diff.stdout.contains("identical:"), "same names, values and ties across formats: \(diff.stdout)")
        let summary = try NNViewProcess.run(["summary", "--json", out])
        #expect(summary.stdout.contains("\"total_parameters\": 121"))
    }

    @Test func npzIsReadableAsWrittenByNumPy() throws {
        // The npz writer's output opens with the package's npz reader, member by member, with the same values.
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let npz = scratch.appendingPathComponent("mlp.npz").path
        try convert(Fixtures.path("pytorch/mlp.params"), npz)
        let written = try NumPyReader.readArchive(path: npz)
        let original = try ModelFileReader.open(path: Fixtures.path("numpy/mlp.npz"))
        #expect(written.tensors.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        for record in original.tensors {
            let mine = try #require(written.tensor(named: record.name))
            #expect(try mine.floatValues(limit: 1 << 20) == record.floatValues(limit: 1 << 20), "\(record.name)")
        }
    }

    @Test func diffReportsEveryKindOfDifference() throws {
        let run = try NNViewProcess.run(["diff", Fixtures.path("pytorch/mlp.params"), Fixtures.path("pytorch/mlp_f16.pt")])
        #expect(run.status == 1, "they differ")
        #expect(run.stdout.contains("dtype differs: 0.weight: F32 vs F16"), "\(run.stdout)")
        let lines = run.stdout.split(separator: "\n")
        let weight = try #require(lines.first { $0.hasPrefix("0.weight ") })
        #expect(!weight.contains(" 0 "), "F16 rounding makes a small nonzero difference: \(weight)")

        let other = try NNViewProcess.run(["diff", Fixtures.path("pytorch/tiny.pt"), Fixtures.path("pytorch/mlp.params")])
        #expect(other.stdout.contains("shape differs: 0.weight: F32 [2, 3] vs F32 [256, 20]"), "\(other.stdout)")
        #expect(other.stdout.contains("only in B: 2.weight"), "\(other.stdout)")
        let ties = try NNViewProcess.run(["diff", Fixtures.path("pytorch/seed_tied.pt"), Fixtures.path("safetensors/seed_tied.safetensors")])
        #expect(ties.stdout.contains("identical:"), "torch.save ties equal save_model aliases: \(ties.stdout)")
        #expect(ties.status == 0)
    }

    /// `diff` exits like cmp: 0 when the files match, 1 when they differ; --rtol/--atol say how close is equal.
    @Test func diffExitsOneWhenTheFilesDifferAndTakesTolerances() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let a = scratch.appendingPathComponent("a.safetensors").path
        let b = scratch.appendingPathComponent("b.safetensors").path
        let c = scratch.appendingPathComponent("c.safetensors").path
        func write(_ values: [Float], _ path: String) throws {
            try SafeTensorsWriter.write(tensors: [(name: "w", type: .f32, shape: [values.count],
                                                   bytes: values.withUnsafeBytes { Array($0) })], to: path)
        }
        try write([1, 2, 100], a)
        try write([1, 2.001, 100.05], b)
        try write([1, 2, 100], c)
        #expect(try NNViewProcess.run(["diff", a, c]).status == 0)
        let exact = try NNViewProcess.run(["diff", a, b])
        #expect(exact.status == 1, "\(exact.stdout)")
        #expect(try NNViewProcess.run(["diff", a, b, "--atol", "0.01"]).status == 1, "100.05 is 0.05 away")
        #expect(try NNViewProcess.run(["diff", a, b, "--atol", "0.001", "--rtol", "1e-3"]).status == 0)
        let loose = try NNViewProcess.run(["diff", a, b, "--rtol", "1e-4"])
        #expect(loose.status == 1 && loose.stdout.contains("differ: 2 values outside rtol 0.0001, atol 0.0"), "\(loose.stdout)")
        #expect(try NNViewProcess.run(["diff", a, b, "--rtol", "-1"]).status == 2)
    }

    @Test func convertRefusesToOverwriteItsInput() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("w.safetensors").path
        try FileManager.default.copyItem(atPath: Fixtures.path("safetensors/seed_tied.safetensors"), toPath: file)
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        // The same file under another spelling of its path.
        let run = try NNViewProcess.run(["convert", file, "./w.safetensors"], in: scratch)
        #expect(run.status == 1)
        #expect(run.stderrLines.count == 1 && run.stderr.contains("refusing to overwrite"), "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
    }
}

extension DiffAndConvertTests {
    @Test func convertsOneTensorToNpyAndGGUFToFloat32() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let npy = scratch.appendingPathComponent("fortran.npy").path
        try convert(Fixtures.path("numpy/fortran.npy"), npy)
        let original = try #require(ModelFileReader.open(path: Fixtures.path("numpy/fortran.npy")).tensors.first)
        let written = try #require(ModelFileReader.open(path: npy).tensors.first)
        #expect(written.type == .f64 && written.shape == [3, 5] && written.isContiguous, "Fortran order gathered into C order")
        #expect(try written.floatValues(limit: 100) == original.floatValues(limit: 100))

        // GGUF blocks have no safetensors dtype: stored as the float32 values gguf-py dequantizes them to.
        let fromGGUF = scratch.appendingPathComponent("tiny.safetensors").path
        let run = try NNViewProcess.run(["convert", Fixtures.path("gguf/tiny.gguf"), fromGGUF])
        #expect(run.status == 0 && run.stdout.contains("5 converted to F32"), "\(run.stdout) \(run.stderr)")
        let diff = try NNViewProcess.run(["diff", fromGGUF, Fixtures.path("gguf/tiny.expect.safetensors")])
        #expect(diff.stdout.contains("0 with different values") || diff.stdout.contains("identical:"), "\(diff.stdout)")

        let many = try NNViewProcess.run(["convert", Fixtures.path("pytorch/tiny.pt"), scratch.appendingPathComponent("x.npy").path])
        #expect(many.status == 1 && many.stderrLines.count == 1 && many.stderr.contains("one array"), "\(many.stderr)")
    }
}
