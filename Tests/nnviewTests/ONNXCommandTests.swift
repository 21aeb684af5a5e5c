import Foundation
import ModelFiles
import Testing
import TestSupport

/// `nnview summary` on ONNX files through the real binary: llama.onnx (torch.onnx export, weights as external data)
/// against what the `onnx` package reads (llama.onnx.expect.json, scripts/reference/make_onnx_reference.py), and the
/// real paraphrase-MiniLM-L3-v2 file when it was fetched.
@Suite struct ONNXCommandTests {
    @Test func summaryJSONMatchesTheOnnxPackage() throws {
        let run = try NNViewProcess.run(["summary", "--json", Fixtures.path("onnx/llama.onnx")])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("onnx/llama.onnx.expect.json")))) as? [String: Any])
        #expect(json["format"] as? String == "onnx")
        #expect(json["total_parameters"] as? Int == expected["parameter_total"] as? Int)
        let parameters = try #require(json["parameters"] as? [[String: Any]])
        let initializers = try #require(expected["initializers"] as? [[String: Any]])
        #expect(parameters.map { $0["name"] as? String } == initializers.map { $0["name"] as? String })
        #expect(parameters.map { $0["shape"] as? [Int] } == initializers.map { $0["dims"] as? [Int] })
        let onnx = try #require(json["onnx"] as? [String: Any])
        for key in ["ir_version", "producer_name", "producer_version", "nodes"] {
            #expect("\(onnx[key] ?? "missing")" == "\(expected[key] ?? "absent")", "\(key)")
        }
        #expect(onnx["op_counts"] as? [String: Int] == expected["op_counts"] as? [String: Int])
        #expect(onnx["inputs"] as? NSArray == expected["inputs"] as? NSArray)
        #expect(onnx["outputs"] as? NSArray == expected["outputs"] as? NSArray)
        #expect(onnx["opset_import"] as? NSArray == expected["opset_import"] as? NSArray)
    }

    @Test func summaryTableShowsInputsOutputsAndOps() throws {
        let run = try NNViewProcess.run(["summary", Fixtures.path("onnx/llama.onnx")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Input input_ids       INT64  [2, 39]"), "\(run.stdout.suffix(600))")
        #expect(run.stdout.contains("Output output         FLOAT  [2, 39, 600]"))
        #expect(run.stdout.contains("Nodes: 141 (Mul 26, MatMul 19, Add 15,"))
        #expect(run.stdout.contains("onnx.opset_import: ai.onnx 18"))
        #expect(run.stdout.contains("      weight                      F32    [600, 32]         19,200"))
    }

    @Test func theExplorerBrowsesTheInitializersWithTheirValues() throws {
        // The embedding lives in llama.onnx.data (external data); min and max are numpy's over the onnx package's array.
        // The graph opens live (its initializers are the parameters of the interpreted graph).
        let run = try NNViewProcess.run(["snapshot", Fixtures.path("onnx/llama.onnx"), "--size", "120x24",
                                         "--keys", "/ text:embed_tokens.weight Enter"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("llama.onnx · 57,621 params · live"), "\(run.stdout)")
        #expect(run.stdout.contains("m.model.embed_tokens.weight"))
        #expect(run.stdout.contains("[600, 32] · F32"))
        #expect(run.stdout.contains("min   -0.3689") && run.stdout.contains("max   0.3775"), "\(run.stdout)")
    }

    @Test func realParaphraseMiniLMSummary() throws {
        guard let url = try RealModels.url(RealModels.paraphraseMiniLMONNX) else { return }
        let run = try NNViewProcess.run(["summary", "--json", url.path], timeout: 20)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.seconds < 10)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["total_parameters"] as? Int == 17_241_984)
        #expect((json["parameters"] as? [Any])?.count == 53)
        let onnx = try #require(json["onnx"] as? [String: Any])
        #expect(onnx["opset_import"] as? NSArray == [["domain": "", "version": 17]] as NSArray)
        let inputs = try #require(onnx["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["name"] as? String } == ["input_ids", "attention_mask"])
        #expect(inputs.map { $0["shape"] as? [String] } == [["batch_size", "sequence_length"], ["batch_size", "sequence_length"]])
        #expect((onnx["outputs"] as? [[String: Any]])?.map { $0["name"] as? String } == ["output", "463", "onnx::Shape_422", "461"])
    }
}
