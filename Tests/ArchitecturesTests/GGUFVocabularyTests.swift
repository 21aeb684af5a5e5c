import Foundation
import Testing
import ModelFiles
@testable import Architectures

/// A GGUF file's tokenizer arrays, read whole (GGUFReader.read keeps only a summary of long arrays).
@Suite struct GGUFVocabularyTests {
    @Test func tokensMergesAndTypesAreReadWhole() throws {
        let path = ArchitectureFixtures.path("llama.f32.gguf")
        let keys: Set = ["tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type"]
        let arrays = try GGUFReader.arrays(buffer: try ByteBuffer.map(path: path), source: path, keys: keys)
        #expect(arrays.strings["tokenizer.ggml.tokens"]?.count == 600)
        #expect(arrays.integers["tokenizer.ggml.token_type"]?.count == 600)
        #expect((arrays.strings["tokenizer.ggml.merges"]?.count ?? 0) > 0)
        let tokenizer = try TransformerLoader.load(path: path).tokenizer()
        #expect(tokenizer.vocabularySize == 600)
    }

    @Test func aTruncatedFileIsAnErrorNamingIt() throws {
        let path = ArchitectureFixtures.path("llama.f32.gguf")
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let keys: Set = ["tokenizer.ggml.tokens", "tokenizer.ggml.merges"]
        for length in [8, 100, 1_000, 5_000] {
            let buffer = ByteBuffer(copying: whole.prefix(length))
            #expect(throws: ModelFileError.self, "\(length) bytes") {
                _ = try GGUFReader.arrays(buffer: buffer, source: "cut.gguf", keys: keys)
            }
        }
    }
}
