import Foundation
import NNCore
import NNModules
import Testing
@testable import FileFormats
@testable import ModelFiles

@Suite struct ModelLoaderTests {
    /// examples/ next to the package.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

    @Test func builtinSourcesEqualTheExampleFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).filter { $0.hasSuffix(".nn") }
        #expect(Set(files.map { String($0.dropLast(3)) }) == Set(BuiltinModels.names))
        for name in BuiltinModels.names {
            let text = try String(contentsOf: Self.examples.appendingPathComponent("\(name).nn"), encoding: .utf8)
            #expect(BuiltinModels.source(of: name) == text, "examples/\(name).nn differs from the built-in copy")
        }
    }

    @Test func builtinTiedOpensLiveWithSharedLayer() throws {
        let loaded = try ModelLoader.load("tied")
        let spec = try #require(loaded.spec)
        #expect(loaded.source == "built-in examples/tied.nn")
        #expect(try spec.model.module(at: "2") === spec.model.module(at: "4"))
    }

    @Test func weightsFileAloneOpensForBrowsing() throws {
        let loaded = try ModelLoader.load(Fixtures.path("safetensors/seed_tied.safetensors"))
        let archive = try #require(loaded.archive)
        #expect(archive.tiedGroups.contains(["2.weight", "4.weight"]) || archive.tiedGroups.contains(["4.weight", "2.weight"]))
    }

    @Test func weightsBindToASpecAndTiesLoadOnce() throws {
        let loaded = try ModelLoader.load("tied", weights: Fixtures.path("safetensors/seed_tied.safetensors"))
        let model = try #require(loaded.spec).model
        let file = try ModelFileReader.open(path: Fixtures.path("safetensors/seed_tied.safetensors")).stateDict()
        #expect(try model.module(at: "4")!.parameter("weight").toArray() == file["2.weight"]!.toArray())
    }

    @Test func strictBindingListsMissingAndUnexpectedNames() throws {
        #expect {
            try ModelLoader.load("mlp", weights: Fixtures.path("safetensors/seed_tied.safetensors"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("missing: hidden.weight") && text.contains("unexpected: 0.bias")
        }
    }

    @Test func unknownNameSaysWhatIsBuiltIn() throws {
        #expect {
            try ModelLoader.load("no-such-model")
        } throws: { error in
            "\(error)".contains("not a built-in model (built-in: tied, chimera")
        }
    }

    @Test func savedStateDictStoresTiesOnceAndReloads() throws {
        let loaded = try ModelLoader.load("tied")
        let model = try #require(loaded.spec).model
        let path = try Fixtures.scratchFolder() + "/tied.safetensors"
        try SafeTensorsWriter.write(stateDict: model.stateDict(), to: path)
        let archive = try ModelFileReader.open(path: path)
        #expect(archive.metadata.contains { $0.key == "4.weight" && $0.value == "2.weight" })
        let copy = try ModelLoader.load("tied", weights: path)
        let reloaded = try #require(copy.spec).model
        #expect(try reloaded.module(at: "2")!.parameter("weight").toArray()
                == model.module(at: "2")!.parameter("weight").toArray())
    }
}
