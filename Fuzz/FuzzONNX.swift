// libFuzzer target: the ONNX reader (the protobuf wire format, graphs, nodes, attributes, value types, tensors and
// typed-field conversion), the archive it gives, the node tree and the summary. External data is refused (no folder),
// so an input can never make the harness open other files.
@testable import FileFormats
@testable import ModelFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = fuzzBuffer(data, size)
    _ = ONNXReader.looksLikeONNX(buffer.bytes)
    guard let model = try? ONNXReader.read(buffer: buffer, source: "fuzz.onnx", externalDataFolder: nil) else { return 0 }
    let archive = ONNXReader.archive(of: model)
    exerciseArchive(archive)
    _ = ONNXNodeTree(graph: model.graph).rows.count
    _ = model.graph.valueTypes.count
    _ = model.graph.opCounts.count
    for node in model.graph.nodes {
        for attribute in node.attributes {
            if let tensor = attribute.tensor, tensor.elementCount <= fuzzElementLimit {
                _ = try? tensor.record().floatValues(limit: fuzzElementLimit)
            }
        }
    }
    _ = try? ModelSummary(LoadedModel(content: .weights(archive), name: "fuzz.onnx", source: "fuzz.onnx",
                                      weightsSource: nil, metadata: archive.metadata)).json()
    return 0
}
