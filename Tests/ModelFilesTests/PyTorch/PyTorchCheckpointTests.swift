import Testing
@testable import FileFormats
@testable import ModelFiles

/// Every checkpoint in Fixtures/pytorch (written by torch.save) opens with PyTorch's names, shapes, dtypes,
/// ties and values.
@Suite struct PyTorchCheckpointTests {
    static func open(_ name: String) throws -> TensorArchive {
        let path = Fixtures.path("pytorch/\(name)")
        return try PyTorchCheckpoint.read(buffer: ByteBuffer.map(path: path), source: path)
    }

    static func byName(_ archive: TensorArchive) -> [String: TensorRecord] {
        Dictionary(uniqueKeysWithValues: archive.tensors.map { ($0.name, $0) })
    }

    static let mlpNames = ["0.weight", "0.bias", "2.weight", "2.bias"]
    static let mlpShapes = [[256, 20], [256], [10, 256], [10]]

    @Test func mlpParamsMatchesTheNumpyExport() throws {
        let archive = try Self.open("mlp.params")
        #expect(archive.format == "pytorch-zip")
        #expect(archive.tensors.map(\.name) == Self.mlpNames)
        #expect(archive.tensors.map(\.shape) == Self.mlpShapes)
        #expect(archive.tensors.allSatisfy { $0.type == .f32 })
        let expected = try ReferenceTensors.npz(path: Fixtures.path("numpy/mlp.npz"))
        for record in archive.tensors {
            let reference = try #require(expected[record.name])
            #expect(reference.shape == record.shape)
            #expect(ReferenceTensors.values(record) == reference.values, "\(record.name) differs from mlp.npz")
        }
    }

    @Test(arguments: [("mlp_f16.pt", ElementType.f16, 1.0 / 1024), ("mlp_bf16.pt", ElementType.bf16, 1.0 / 128)])
    func halfPrecisionMLPIsCloseToTheFloatOne(file: String, type: ElementType, relative: Double) throws {
        let archive = try Self.open(file)
        let float = Self.byName(try Self.open("mlp.params"))
        #expect(archive.tensors.map(\.name) == Self.mlpNames)
        #expect(archive.tensors.map(\.shape) == Self.mlpShapes)
        for record in archive.tensors {
            #expect(record.type == type)
            let reference = ReferenceTensors.values(try #require(float[record.name]))
            let values = ReferenceTensors.values(record)
            // Rounding to f16/bf16 is within half an ulp: relative error ≤ 2^-11 / 2^-8 (plus f16 subnormals).
            for (value, exact) in zip(values, reference) {
                #expect(abs(value - exact) <= abs(exact) * relative + 1e-7, "\(record.name): \(value) vs \(exact)")
            }
        }
    }

    @Test func seedTiedSharesStoragesAndMatchesSafetensors() throws {
        let archive = try Self.open("seed_tied.pt")
        #expect(archive.tensors.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
                                                "6.weight", "6.bias"])
        let records = Self.byName(archive)
        #expect(records["2.weight"]?.storage.key == records["4.weight"]?.storage.key)
        #expect(records["2.bias"]?.storage.key == records["4.bias"]?.storage.key)
        #expect(Set(archive.tensors.map(\.storage.key)).count == 6)
        #expect(records["4.weight"]?.storage.byteOffset == records["2.weight"]?.storage.byteOffset)
        let expected = try ReferenceTensors.safetensors(path: Fixtures.path("safetensors/seed_tied.safetensors"))
        for record in archive.tensors {
            // The safetensors file keeps each tied tensor once, under its first name.
            let original = record.name.replacingOccurrences(of: "4.", with: "2.")
            let reference = try #require(expected[original])
            #expect(record.shape == reference.shape)
            #expect(ReferenceTensors.values(record) == reference.values, "\(record.name)")
        }
    }

    @Test func legacySeedTiedEqualsTheZipOne() throws {
        let legacy = try Self.open("seed_tied_legacy.pt")
        let modern = try Self.open("seed_tied.pt")
        #expect(legacy.format == "pytorch-legacy")
        #expect(legacy.tensors.map(\.name) == modern.tensors.map(\.name))
        #expect(legacy.tensors.map(\.shape) == modern.tensors.map(\.shape))
        for (old, new) in zip(legacy.tensors, modern.tensors) {
            #expect(old.type == .f32)
            #expect(ReferenceTensors.values(old) == ReferenceTensors.values(new), "\(old.name)")
        }
        let records = Self.byName(legacy)
        #expect(records["2.weight"]?.storage.key == records["4.weight"]?.storage.key)
        #expect(records["2.bias"]?.storage.key == records["4.bias"]?.storage.key)
        #expect(records["0.weight"]?.storage.key != records["2.weight"]?.storage.key)
    }

    @Test func viewsKeepStridesAndOffsets() throws {
        let records = Self.byName(try Self.open("views.pt"))
        let full = try #require(records["full"]), transposed = try #require(records["t"]), slice = try #require(records["slice"])
        #expect(full.shape == [6, 5] && full.strides == [5, 1])
        #expect(transposed.shape == [5, 6] && transposed.strides == [1, 5])
        #expect(slice.shape == [2, 5] && slice.elementOffset == 10)
        #expect(Set([full.storage.key, transposed.storage.key, slice.storage.key]).count == 1)
        let fullValues = ReferenceTensors.values(full)
        let expectedTransposed = (0 ..< 5).flatMap { column in (0 ..< 6).map { row in fullValues[row * 5 + column] } }
        #expect(ReferenceTensors.values(transposed) == expectedTransposed)
        #expect(ReferenceTensors.values(slice) == Array(fullValues[10 ..< 20]))
    }

    @Test func theBooksTensorListAndDict() throws {
        let single = try Self.open("x-file")
        #expect(single.tensors.map(\.name) == ["tensor"])
        #expect(ReferenceTensors.values(single.tensors[0]) == [0, 1, 2, 3])

        let list = try Self.open("x-files")
        #expect(list.tensors.map(\.name) == ["0", "1"])
        #expect(list.tensors.map { ReferenceTensors.values($0) } == [[0, 1, 2, 3], [0, 0, 0, 0]])

        let dict = try Self.open("mydict")
        #expect(dict.tensors.map(\.name) == ["x", "y"])
        #expect(dict.tensors.map(\.shape) == [[4], [4]])
        #expect(dict.tensors.map { ReferenceTensors.values($0) } == [[0, 1, 2, 3], [0, 0, 0, 0]])
    }

    @Test func chimeraAndTinyStateDicts() throws {
        let chimera = try Self.open("seed_chimera.pt")
        #expect(chimera.tensors.map(\.name) == ["0.net.0.weight", "0.net.0.bias", "0.net.2.weight", "0.net.2.bias",
                                                "0.linear.weight", "0.linear.bias", "1.weight", "1.bias",
                                                "2.rand_weight", "2.linear.weight", "2.linear.bias"])
        #expect(chimera.tensors.map(\.shape) == [[64, 20], [64], [32, 64], [32], [16, 32], [16], [20, 16], [20],
                                                 [20, 20], [20, 20], [20]])
        let expected = try ReferenceTensors.safetensors(path: Fixtures.path("safetensors/seed_chimera.safetensors"))
        for record in chimera.tensors {
            #expect(ReferenceTensors.values(record) == expected[record.name]?.values, "\(record.name)")
        }
        #expect(Set(chimera.tensors.map(\.storage.key)).count == chimera.tensors.count)

        let tiny = try Self.open("tiny.pt")
        #expect(tiny.tensors.map(\.name) == ["0.weight", "0.bias"])
        #expect(tiny.tensors.map(\.shape) == [[2, 3], [2]])
    }

    static let allFixtures = ["mlp.params", "mlp_f16.pt", "mlp_bf16.pt", "seed_tied.pt", "seed_tied_legacy.pt",
                              "seed_chimera.pt", "x-file", "x-files", "mydict", "views.pt", "tiny.pt"]

    @Test(arguments: allFixtures)
    func recordsDecodeThroughTheSharedElementAccess(file: String) throws {
        // The explorer reads values through TensorRecord's shared element access: it must agree with the
        // independent strided reader here, views included.
        for record in try Self.open(file).tensors {
            _ = try record.checkedLayout()
            #expect(try record.floatValues(limit: 1 << 20).map(Double.init) == ReferenceTensors.values(record), "\(record.name)")
        }
    }

    @Test func readWithAPreparedZipMatchesPlainRead() throws {
        let path = Fixtures.path("pytorch/seed_tied.pt")
        let buffer = try ByteBuffer.map(path: path)
        let viaZip = try PyTorchCheckpoint.read(path: path, buffer: buffer, zip: ZipArchiveReader(buffer: buffer, source: path))
        #expect(viaZip.tensors.map(\.name) == (try Self.open("seed_tied.pt")).tensors.map(\.name))
        let legacyPath = Fixtures.path("pytorch/seed_tied_legacy.pt")
        let legacy = try PyTorchCheckpoint.read(path: legacyPath, buffer: ByteBuffer.map(path: legacyPath), zip: nil)
        #expect(legacy.format == "pytorch-legacy")
    }

    @Test func storedStoragesAreSlicesOfTheMapping() throws {
        let path = Fixtures.path("pytorch/mlp.params")
        let buffer = try ByteBuffer.map(path: path)
        let archive = try PyTorchCheckpoint.read(buffer: buffer, source: path)
        for record in archive.tensors {
            #expect(record.storage.buffer === buffer, "\(record.name) was copied")
            #expect(record.storage.byteOffset % 64 == 0)
        }
    }

    @Test func bigEndianArchiveIsByteSwapped() throws {
        // Rebuild views.pt with byteorder "big" and every float's bytes reversed.
        let original = try ZipArchiveReader(buffer: ByteBuffer.map(path: Fixtures.path("pytorch/views.pt")))
        var builder = ZipBuilder()
        for entry in original.entries {
            var bytes = Array(try original.data(of: entry).bytes)
            if entry.name.hasSuffix("byteorder") { bytes = Array("big".utf8) }
            if entry.name.hasSuffix("data/0") {
                for start in stride(from: 0, to: bytes.count, by: 4) { bytes[start ..< start + 4].reverse() }
            }
            builder.members.append(.init(name: entry.name, bytes: bytes))
        }
        let swapped = try PyTorchCheckpoint.read(buffer: ByteBuffer(copying: builder.build().bytes), source: "big.pt")
        let little = try Self.open("views.pt")
        #expect(swapped.tensors.map { ReferenceTensors.values($0) } == little.tensors.map { ReferenceTensors.values($0) })
    }
}
