extension ModelSummary {
    /// What an ONNX file adds to a summary: the model header, the graph's inputs and outputs with their (symbolic)
    /// shapes, and how many nodes use each operator.
    public struct ONNXSection {
        /// `ir_version`.
        public var irVersion: Int
        /// `producer_name` and `producer_version`.
        public var producerName: String
        public var producerVersion: String
        /// The imported opsets ("" is the default domain).
        public var opsetImports: [ONNXOpsetImport]
        /// The inputs a caller feeds (initializers listed as inputs by old IR versions left out).
        public var inputs: [ONNXValueInfo]
        /// The graph's outputs.
        public var outputs: [ONNXValueInfo]
        /// The number of nodes in the main graph.
        public var nodeCount: Int
        /// Nodes per op type, most used first (ties by name).
        public var opCounts: [(op: String, count: Int)]
        /// The number of initializers, including those of types nnview does not read.
        public var initializerCount: Int

        init(_ model: ONNXModel) {
            irVersion = model.irVersion
            producerName = model.producerName
            producerVersion = model.producerVersion
            opsetImports = model.opsetImports
            inputs = model.graph.runtimeInputs
            outputs = model.graph.outputs
            nodeCount = model.graph.nodes.count
            opCounts = model.graph.opCounts.map { (op: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.op < $1.op }
            initializerCount = model.graph.initializers.count
        }
    }

    /// The ONNX section as a JSON object (one line per member, values on one line).
    func onnxJSON(_ section: ONNXSection) -> String {
        func value(_ info: ONNXValueInfo) -> String {
            let shape = info.shape.map { dims in
                "[" + dims.map { dimension -> String in
                    switch dimension {
                    case .value(let size): return String(size)
                    case .symbol(let name): return JSONWriter.quoted(name)
                    case .unknown: return "null"
                    }
                }.joined(separator: ", ") + "]"
            } ?? "null"
            return "{\"name\": \(JSONWriter.quoted(info.name)), \"dtype\": \(JSONWriter.quoted(info.typeName)), \"shape\": \(shape)}"
        }
        let opsets = section.opsetImports.map { "{\"domain\": \(JSONWriter.quoted($0.domain)), \"version\": \($0.version)}" }
        let ops = section.opCounts.map { "\(JSONWriter.quoted($0.op)): \($0.count)" }
        let members = [
            "\"ir_version\": \(section.irVersion)",
            "\"producer_name\": \(JSONWriter.quoted(section.producerName))",
            "\"producer_version\": \(JSONWriter.quoted(section.producerVersion))",
            "\"opset_import\": [" + opsets.joined(separator: ", ") + "]",
            "\"inputs\": [" + section.inputs.map(value).joined(separator: ", ") + "]",
            "\"outputs\": [" + section.outputs.map(value).joined(separator: ", ") + "]",
            "\"initializers\": \(section.initializerCount)",
            "\"nodes\": \(section.nodeCount)",
            "\"op_counts\": {" + ops.joined(separator: ", ") + "}",
        ]
        return "{\n    " + members.joined(separator: ",\n    ") + "\n  }"
    }

    /// The ONNX section as table lines: inputs and outputs with type and shape, then the op counts.
    func onnxTableLines(_ section: ONNXSection) -> [String] {
        var rows: [[String]] = []
        for (heading, values) in [("Input", section.inputs), ("Output", section.outputs)] {
            for info in values { rows.append(["\(heading) \(info.name)", info.typeName, info.shapeText]) }
        }
        var lines = Self.aligned(rows)
        let ops = section.opCounts.map { "\($0.op) \($0.count)" }.joined(separator: ", ")
        lines.append("Nodes: \(Self.grouped(section.nodeCount))" + (ops.isEmpty ? "" : " (\(ops))"))
        return lines
    }
}
