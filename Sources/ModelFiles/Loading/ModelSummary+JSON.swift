extension ModelSummary {
    /// The summary as JSON: `{"parameters": [{"name", "shape", "dtype", "count", "shared_with", "trainable"}],
    /// "total_parameters", "trainable_parameters", "modules": [...], "metadata": {...}}`, one member per line.
    /// Unknown dimensions and counts of lazy parameters are `null`.
    public func json() -> String {
        func shape(_ dimensions: [Int?]) -> String {
            "[" + dimensions.map { $0.map(String.init) ?? "null" }.joined(separator: ", ") + "]"
        }
        func names(_ list: [String]) -> String {
            "[" + list.map(JSONWriter.quoted).joined(separator: ", ") + "]"
        }
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "null" }

        let parameterLines = parameters.map { parameter in
            "    {\"name\": \(JSONWriter.quoted(parameter.name)), \"shape\": \(shape(parameter.shape)), "
                + "\"dtype\": \(JSONWriter.quoted(parameter.dtype)), \"count\": \(optional(parameter.count)), "
                + "\"shared_with\": \(names(parameter.sharedWith)), \"trainable\": \(parameter.trainable)}"
        }
        let moduleLines = modules.map { module in
            var members = ["\"name\": \(JSONWriter.quoted(module.name))", "\"depth\": \(module.depth)"]
            if let type = module.type { members.append("\"type\": \(JSONWriter.quoted(type))") }
            if isLive { members.append("\"output_shape\": " + (module.outputShape.map { shape($0.map { $0 }) } ?? "null")) }
            members.append("\"parameters\": \(optional(module.parameterCount))")
            if isLive {
                members.append("\"shared_with\": \(names(module.sharedWith))")
                members.append("\"trainable\": " + (module.trainable.map { "\($0)" } ?? "null"))
            }
            return "    {" + members.joined(separator: ", ") + "}"
        }
        let metadataLines = metadata.map { "    \(JSONWriter.quoted($0.key)): \(JSONWriter.quoted($0.value))" }
        func block(_ lines: [String], open: String, close: String) -> String {
            lines.isEmpty ? open + close : open + "\n" + lines.joined(separator: ",\n") + "\n  " + close
        }
        var members = [
            "\"name\": \(JSONWriter.quoted(name))",
            "\"format\": \(JSONWriter.quoted(format))",
            "\"parameters\": " + block(parameterLines, open: "[", close: "]"),
            "\"total_parameters\": \(totalParameters)",
            "\"trainable_parameters\": \(trainableParameters)",
            "\"modules\": " + block(moduleLines, open: "[", close: "]"),
            "\"metadata\": " + block(metadataLines, open: "{", close: "}"),
        ]
        if let inputShape { members.append("\"input_shape\": " + shape(inputShape.map { $0 })) }
        if let onnx { members.append("\"onnx\": " + onnxJSON(onnx)) }
        return "{\n  " + members.joined(separator: ",\n  ") + "\n}"
    }
}
