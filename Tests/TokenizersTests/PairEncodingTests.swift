import Foundation
import Testing
@testable import Tokenizers

/// Pairs of texts (`tokenizer(text, text_pair)`) against the tokenizers library and transformers
/// (Fixtures/pair_expectations.json, written by scripts/reference/pair_expectations.py): the pair template's special
/// tokens and the token type ids, for every fixture tokenizer and variant, and padded batches.
@Suite struct PairEncodingTests {
    struct Row: Decodable {
        let ids: [Int]
        let type_ids: [Int]
    }

    struct Batch: Decodable {
        let input_ids: [[Int]]
        let token_type_ids: [[Int]]
        let attention_mask: [[Int]]
        let pad_token_id: Int
    }

    struct File: Decodable {
        let pairs: [[String]]
        let library: [String: [Row]]
        let batches: [String: Batch]

        static func load() throws -> File {
            try JSONDecoder().decode(File.self, from: Data(contentsOf: try Fixtures.url("pair_expectations.json")))
        }
    }

    @Test func everyTokenizerJSONGivesTheLibrarysPairs() throws {
        let file = try File.load()
        #expect(file.library.count >= 15)
        for (folder, rows) in file.library.sorted(by: { $0.key < $1.key }) {
            let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("\(folder)/tokenizer.json"))
            for (pair, row) in zip(file.pairs, rows) {
                let encoding = try tokenizer.encode(pair[0], pair: pair[1])
                #expect(encoding.ids == row.ids, "\(folder): ids of \(pair)")
                #expect(encoding.typeIDs == row.type_ids, "\(folder): type ids of \(pair)")
                #expect(encoding.tokens.count == row.ids.count)
            }
        }
    }

    @Test(arguments: ["bert_mlm", "gpt2", "llama", "minilm"])
    func paddedBatchesMatchTransformers(folder: String) throws {
        let file = try File.load()
        let batch = try #require(file.batches[folder])
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("\(folder)/tokenizer.json"))
        let encoded = try tokenizer.encodeBatch(file.pairs.map { $0[0] }, pairs: file.pairs.map { $0[1] },
                                                paddingID: batch.pad_token_id)
        #expect(encoded.ids == batch.input_ids)
        #expect(encoded.tokenTypeIDs == batch.token_type_ids)
        #expect(encoded.attentionMask == batch.attention_mask)
        #expect(encoded.hasTokenTypes)
    }

    /// A vocab.txt folder (BERT's defaults, no tokenizer.json) gives BERT's pair template too.
    @Test(arguments: [("bert_mlm", ["vocab.txt", "tokenizer_config.json"]), ("minilm", ["vocab.txt"])])
    func vocabularyFilesGiveBertsPairTemplate(folder: String, files: [String]) throws {
        let file = try File.load()
        let tokenizer = try TokenizerLoader.load(folder: try Fixtures.folder(copying: files, from: folder))
        for (pair, row) in zip(file.pairs, try #require(file.library[folder])) {
            let encoding = try tokenizer.encode(pair[0], pair: pair[1])
            #expect(encoding.ids == row.ids && encoding.typeIDs == row.type_ids, "\(folder): \(pair)")
        }
    }

    /// One text keeps type 0 throughout, with or without a template.
    @Test func singleTextsHaveTypeZero() throws {
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: try Fixtures.url("bert_mlm/tokenizer.json"))
        let encoding = try tokenizer.encode("the program")
        #expect(encoding.typeIDs == Array(repeating: 0, count: encoding.ids.count))
        #expect(try !tokenizer.encodeBatch(["a", "b c"]).hasTokenTypes)
    }

    /// Two post-processors that both add tokens have no pair template (the tokenizers library cannot encode a pair
    /// with them either): one line, and single texts still work. A batch with a missing pair is refused.
    @Test func pairsThatCannotBeEncodedAreRefusedInOneLine() throws {
        let original = try String(contentsOf: try Fixtures.url("gpt2/tokenizer.json"), encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(original.utf8)) as? [String: Any])
        let template: [String: Any] = [
            "type": "TemplateProcessing",
            "single": [["SpecialToken": ["id": "<|endoftext|>", "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]]],
            "pair": [["Sequence": ["id": "A", "type_id": 0]], ["Sequence": ["id": "B", "type_id": 1]]],
            "special_tokens": ["<|endoftext|>": ["id": "<|endoftext|>", "ids": [0], "tokens": ["<|endoftext|>"]]],
        ]
        var edited = object
        edited["post_processor"] = ["type": "Sequence", "processors": [template, template]]
        let url = try Fixtures.file(named: "tokenizer.json", contents: try JSONSerialization.data(withJSONObject: edited))
        let tokenizer = try TokenizerLoader.load(tokenizerJSON: url)
        #expect(try tokenizer.encode("Hello").ids.prefix(2) == [0, 0])
        #expect(throws: TokenizerError.self) { try tokenizer.encode("Hello", pair: "world") }
        do {
            _ = try tokenizer.encode("Hello", pair: "world")
        } catch {
            #expect("\(error)" == "tokenizer: post_processor: has no template for a pair of texts")
        }
        #expect(throws: TokenizerError.self) { try tokenizer.encodeBatch(["a", "b"], pairs: ["c"]) }
    }
}
