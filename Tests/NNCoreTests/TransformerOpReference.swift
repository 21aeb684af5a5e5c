import Foundation
import NNCore
import Testing

/// One file of PyTorch reference values for the transformer ops (written by
/// scripts/reference/transformer_ops.py): tensors named `caseN.NAME`, read from a small float32 safetensors file.
struct TransformerOpReference {
    let tensors: [String: Tensor]

    /// Reads `Fixtures/transformer_ops/NAME.safetensors` from the test bundle.
    init(_ name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/transformer_ops/\(name)", withExtension: "safetensors"),
                               "missing fixture transformer_ops/\(name).safetensors")
        let data = try Data(contentsOf: url)
        // safetensors: an 8-byte little-endian header length, a JSON header, then the raw data.
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + headerLength))
                                  as? [String: Any])
        var tensors: [String: Tensor] = [:]
        for (key, value) in header where key != "__metadata__" {
            let entry = try #require(value as? [String: Any])
            #expect(entry["dtype"] as? String == "F32", "\(name): \(key) is not float32")
            let shape = try #require(entry["shape"] as? [Int])
            let offsets = try #require(entry["data_offsets"] as? [Int])
            let bytes = data.subdata(in: 8 + headerLength + offsets[0] ..< 8 + headerLength + offsets[1])
            let values = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            tensors[key] = try Tensor(values, shape: shape)
        }
        self.tensors = tensors
    }

    /// Number of cases in the file.
    var caseCount: Int { Set(tensors.keys.map { $0.split(separator: ".")[0] }).count }

    /// Tensor `name` of case `index`, as a fresh leaf (so tests may set `requiresGrad`).
    func tensor(_ index: Int, _ name: String) throws -> Tensor {
        let t = try #require(tensors["case\(index).\(name)"], "no case\(index).\(name)")
        return t.clone()
    }

    /// Whether case `index` has a tensor `name`.
    func has(_ index: Int, _ name: String) -> Bool { tensors["case\(index).\(name)"] != nil }

    /// Scalar argument `name` of case `index`.
    func argument(_ index: Int, _ name: String) throws -> Float { try tensor(index, "arg_" + name).toArray()[0] }

    /// Backpropagates case `index`'s `grad_output` through `output` and checks the gradients of `inputs` (name →
    /// leaf) against PyTorch's.
    func expectGradients(_ index: Int, output: Tensor, inputs: [(String, Tensor)],
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        try output.backward(gradient: tensor(index, "grad_output"))
        for (name, leaf) in inputs {
            let grad = try #require(leaf.grad, "case \(index): \(name) got no gradient", sourceLocation: sourceLocation)
            try expectMatches(grad, tensor(index, "grad_" + name), "case \(index) grad_\(name)", sourceLocation: sourceLocation)
        }
    }
}

/// Expects `actual` to have `expected`'s shape and values within 1e-4 relative / 1e-5 absolute (infinities and NaN
/// must match exactly).
func expectMatches(_ actual: Tensor, _ expected: Tensor, _ what: String, relative: Float = 1e-4, absolute: Float = 1e-5,
                   sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(actual.shape == expected.shape, "\(what): shape \(actual.shape) vs PyTorch \(expected.shape)",
            sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    var worst = (index: -1, difference: Float(0))
    for (i, (a, e)) in zip(actual.toArray(), expected.toArray()).enumerated() {
        let ok: Bool
        if e.isNaN || a.isNaN || e.isInfinite || a.isInfinite {
            ok = (e.isNaN && a.isNaN) || a == e
        } else {
            ok = Swift.abs(a - e) <= absolute + relative * Swift.abs(e)
        }
        if !ok && worst.index < 0 { worst = (i, a - e) }
    }
    #expect(worst.index < 0,
            "\(what): element \(worst.index) = \(worst.index < 0 ? 0 : actual.toArray()[worst.index]) vs PyTorch \(worst.index < 0 ? 0 : expected.toArray()[worst.index])",
            sourceLocation: sourceLocation)
}
