import Foundation
import Testing
import NNCore
import ModelFiles
@testable import Architectures
import TestSupport

/// Broken or hostile configuration files: each is refused with one line naming the file and the field, before
/// any tensor is allocated.
@Suite struct HostileConfigTests {
    /// A copy of a fixture folder in a fresh temporary folder, with `edit` applied to its config.json.
    func folder(from fixture: String, editConfig edit: (inout [String: Any]) -> Void) throws -> String {
        let target = try ScratchSpace.folder("arch-hostile").path
        for file in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(atPath: ArchitectureFixtures.path(fixture + "/" + file), toPath: target + "/" + file)
        }
        let configPath = target + "/config.json"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: configPath)
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as! [String: Any]
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        return target
    }

    func loadError(_ path: String) -> String {
        do {
            _ = try TransformerLoader.load(path: path)
            return "(loaded)"
        } catch {
            return String(describing: error)
        }
    }

    @Test(arguments: [
        ("gpt2", "n_embd", 1 << 40, "n_embd: 1099511627776 is outside"),
        ("gpt2", "n_head", 5, "n_head: 5 heads do not divide n_embd 32"),
        ("gpt2", "vocab_size", -3, "vocab_size: -3 is outside"),
        ("bert_mlm", "num_attention_heads", 3, "num_attention_heads: 3 heads do not divide hidden_size 32"),
        ("bert_mlm", "num_hidden_layers", 1_000_000, "num_hidden_layers: 1000000 is outside"),
        ("llama", "num_key_value_heads", 3, "num_key_value_heads: 3 key/value heads do not divide num_attention_heads 4"),
        ("llama", "hidden_act", "swiglu_magic", "hidden_act: activation \"swiglu_magic\" is not supported"),
        ("llama", "model_type", "mamba", "model_type: \"mamba\" is not an architecture nnview builds"),
        ("llama", "architectures", ["LlamaForSequenceClassification"], "architectures: \"LlamaForSequenceClassification\" is not one nnview builds"),
        ("llama", "intermediate_size", 65, "but config.json gives model.layers.0.mlp.gate_proj.weight the shape [65, 32]"),
        ("gpt2", "n_layer", 3, "missing tensor transformer.h.2"),
        ("gpt2", "n_layer", 1, "unexpected tensor transformer.h.1"),
    ] as [(String, String, any Sendable, String)])
    func badConfigIsOneLineNamingFileAndField(_ fixture: String, _ field: String, _ value: any Sendable, _ message: String) throws {
        let path = try folder(from: fixture) { $0[field] = value }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = loadError(path)
        #expect(error.contains(message), "\(field) = \(value): \(error)")
        #expect(error.hasPrefix(path), "the message names the file: \(error)")
        #expect(!error.contains("\n"))
    }

    @Test func deeplyNestedOrTruncatedConfigJSONIsRefused() throws {
        let path = try folder(from: "gpt2") { _ in }
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000))
            .write(toFile: path + "/config.json", atomically: true, encoding: .utf8)
        let nested = loadError(path)
        #expect(nested.contains("config.json") && !nested.contains("\n"), "\(nested)")
        try #"{"model_type": "gpt2", "n_embd": 3"#.write(toFile: path + "/config.json", atomically: true, encoding: .utf8)
        #expect(loadError(path).contains("config.json is not valid JSON"))
    }

    @Test func weightShapesThatDisagreeWithTheConfigAreNamed() throws {
        let path = try folder(from: "llama") { $0["vocab_size"] = 601 }
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(loadError(path).contains("tensor model.embed_tokens.weight has shape [600, 32] but config.json gives model.embed_tokens.weight the shape [601, 32]"))
    }

    @Test func hostileModulesJSONIsRefused() throws {
        let path = try folder(from: "bert_mlm") { $0["architectures"] = ["BertModel"] }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let modules = path + "/modules.json"
        try #"[{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},{"idx":1,"name":"1","path":"../../etc","type":"sentence_transformers.models.Pooling"}]"#
            .write(toFile: modules, atomically: true, encoding: .utf8)
        #expect(loadError(path).contains("modules.json: [1].path: ../../etc leaves the model folder"))
        try #"[{"type":"sentence_transformers.models.Dense"}]"#.write(toFile: modules, atomically: true, encoding: .utf8)
        #expect(loadError(path).contains("[0].type: sentence_transformers.models.Dense is not a module nnview runs"))
        try String(repeating: "[", count: 100_000).write(toFile: modules, atomically: true, encoding: .utf8)
        #expect(loadError(path).contains("modules.json: not valid JSON"))
    }

    @Test func ggufOfAnotherArchitectureIsRefused() throws {
        // tiny.gguf-like metadata is tested through the fixtures' own metadata: a bad value in the fields.
        let archive = try ModelFileReader.open(path: ArchitectureFixtures.path("llama.f32.gguf"))
        var changed = archive
        changed.metadata = archive.metadata.map { $0.key == "llama.attention.head_count" ? ($0.key, "5") : $0 }
        #expect(throws: ModelFileError.self) { try GGUFLlama.config(changed) }
        changed.metadata = archive.metadata.map { $0.key == "general.architecture" ? ($0.key, "falcon") : $0 }
        do {
            _ = try GGUFLlama.config(changed)
            Issue.record("falcon accepted")
        } catch {
            #expect(String(describing: error).contains("general.architecture: falcon is not an architecture nnview runs from GGUF"))
        }
        #expect(try GGUFLlama.config(archive).tieWordEmbeddings == false)
    }

    /// GGUF metadata edited field by field: each refusal names the key.
    @Test(arguments: [
        ("llama.block_count", "1000000000", "llama.block_count: 1000000000 is outside"),
        ("llama.embedding_length", "-5", "llama.embedding_length: -5 is outside"),
        ("llama.attention.head_count_kv", "3", "llama.attention.head_count_kv: 3 key/value heads do not divide"),
        ("llama.rope.freq_base", "nan", "llama.rope.freq_base: nan is not a number"),
        ("llama.feed_forward_length", "abc", "llama.feed_forward_length: abc is not an integer"),
        ("llama.vocab_size", "601", "llama.vocab_size: 601 differs from token_embd.weight's 600 rows"),
    ])
    func badGGUFMetadataNamesTheKey(_ key: String, _ value: String, _ message: String) throws {
        let archive = try ModelFileReader.open(path: ArchitectureFixtures.path("llama.q8_0.gguf"))
        var changed = archive
        changed.metadata = archive.metadata.filter { $0.key != key } + [(key, value)]
        do {
            _ = try GGUFLlama.config(changed)
            Issue.record("\(key) = \(value) accepted")
        } catch {
            #expect(String(describing: error).contains(message), "\(error)")
            #expect(String(describing: error).hasPrefix(archive.source))
        }
    }

    @Test func ggufWeightsDisagreeingWithTheMetadataAreNamed() throws {
        let archive = try ModelFileReader.open(path: ArchitectureFixtures.path("llama.f32.gguf"))
        var config = try GGUFLlama.config(archive)
        config.intermediateSize = 65
        let model = try TransformerBuilder.build(config, bertPooler: false)
        do {
            try GGUFLlama.binder(archive, config: config).bind(model)
            Issue.record("mismatched weights loaded")
        } catch {
            #expect(String(describing: error).contains("tensor blk.0.ffn_gate.weight has shape [64, 32] but the GGUF metadata gives model.layers.0.mlp.gate_proj.weight the shape [65, 32]"), "\(error)")
        }
    }

    @Test func aModelTooLargeForMemoryIsRefusedWithWhatItNeeds() throws {
        // 1 024 layers of width 8 192 is ~800 G parameters; the binder refuses before allocating anything.
        var config = try GGUFLlama.config(try ModelFileReader.open(path: ArchitectureFixtures.path("llama.f32.gguf")))
        config.hiddenSize = 8_192
        config.headDimension = 2_048
        config.intermediateSize = 65_536
        config.layerCount = 1_024
        config.vocabSize = 600
        let model = try TransformerBuilder.build(config, bertPooler: false)
        var sources: [String: WeightBinder.Source] = [:]
        let fake = TensorRecord(name: "x", type: .f32, shape: [0], storage: StorageReference(buffer: ByteBuffer(copying: [UInt8]()), byteOffset: 0, byteCount: 0, key: "x"))
        for parameter in model.namedParameters() {
            var record = fake
            record.name = parameter.name
            record.shape = parameter.slot.shape.completeShape!
            sources[parameter.name] = WeightBinder.Source(record: record, transform: nil)
        }
        do {
            try WeightBinder(file: "big.gguf", sources: sources).bind(model)
            Issue.record("a huge model was loaded")
        } catch {
            #expect(String(describing: error).contains("big.gguf: the model needs"))
            #expect(String(describing: error).contains("GiB as Float32"))
        }
    }
}
