import Testing
@testable import FileFormats
@testable import ModelFiles

/// The graph side of dtypes.onnx (scripts/reference/make_onnx_reference.py): nodes with attributes and sub-graphs,
/// value types, scopes as a tree, ties through shared external bytes and Identity aliases, and the summary.
@Suite struct ONNXGraphTests {
    static func dtypes() throws -> TensorArchive {
        try ModelFileReader.open(path: Fixtures.path("onnx/dtypes.onnx"))
    }

    @Test func nodesKeepOpTypeInputsOutputsAndAttributes() throws {
        let graph = try #require(try Self.dtypes().onnx).graph
        #expect(graph.nodes.map(\.opType) == ["Identity", "MatMul", "Add", "Transpose", "If", "Constant"])
        let matmul = graph.nodes[1]
        #expect(matmul.name == "/encoder/layer.0/dense/MatMul")
        #expect(matmul.inputs == ["x", "external.a"])
        #expect(matmul.outputs == ["projected"])
        #expect(graph.nodes[3].attribute("perm")?.ints == [1, 0])
        // The If node's branches are read as graphs of their own.
        guard case .graph(let thenBranch) = graph.nodes[4].attribute("then_branch")?.value,
              case .graph(let elseBranch) = graph.nodes[4].attribute("else_branch")?.value else {
            Issue.record("If branches are not graphs")
            return
        }
        #expect(thenBranch.nodes.map(\.opType) == ["Identity"])
        #expect(elseBranch.nodes.map(\.opType) == ["Neg"])
        #expect(elseBranch.outputs.first?.shapeText == "[2, 3]")
        // The Constant's value (written to float_data) converts like an initializer.
        let constant = try #require(graph.nodes[5].attribute("value")?.tensor)
        #expect(try constant.record().floatValues(limit: 8) == [1.5, -2.0])
    }

    @Test func valueTypesComeFromInputsOutputsValueInfoAndInitializers() throws {
        let types = try #require(try Self.dtypes().onnx).graph.valueTypes
        #expect(types["x"]?.shapeText == "[batch, 4]")
        #expect(types["projected"]?.shapeText == "[batch, 2]")
        #expect(types["y"]?.shapeText == "[2, batch]")
        #expect(types["chosen"]?.shapeText == "?")
        #expect(types["raw.float"]?.shapeText == "[2, 3]")
        #expect(types["flag"]?.typeName == "BOOL")
    }

    @Test func nodesAreGroupedByTheScopesInTheirNames() throws {
        let graph = try #require(try Self.dtypes().onnx).graph
        let tree = ONNXNodeTree(graph: graph)
        let lines = tree.rows.map { String(repeating: "  ", count: $0.depth) + $0.label + ($0.nodeIndex == nil ? "/" : "") }
        #expect(lines == [
            "block/", "  tie/", "    Identity",
            "encoder/", "  layer.0/", "    dense/", "      MatMul", "      Add", "  layer.10/", "    Transpose",
            "choose", "Constant",
        ])
        #expect(tree.rows[3].nodeIndices == [1, 2, 3])
    }

    @Test func naturalOrderPutsLayerTwoBeforeLayerTen() throws {
        var graph = ONNXParser.emptyGraph
        for layer in [10, 2, 1] {
            graph.nodes.append(ONNXNode(name: "/m/layer.\(layer)/Add", opType: "Add", domain: "", inputs: [], outputs: [],
                                        attributes: []))
        }
        #expect(ONNXNodeTree(graph: graph).rows.map(\.label) == ["m", "layer.1", "Add", "layer.2", "Add", "layer.10", "Add"])
    }

    @Test func sharedExternalBytesAndIdentityCopiesAreTies() throws {
        let archive = try Self.dtypes()
        #expect(archive.aliases == ["tied.float": "raw.float"])
        let groups = Set(archive.tiedGroups.map { Set($0) })
        #expect(groups == [["external.a", "external.b"], ["raw.float", "tied.float"]])
        let summary = try ModelSummary(LoadedModel(content: .weights(archive), name: "dtypes.onnx", source: "",
                                                   weightsSource: nil, metadata: archive.metadata))
        // 25 readable initializers; external.b and tied.float are counted once; text and unsigned16 are not read.
        let readable = archive.onnx!.graph.initializers.filter { $0.dataType.elementType != nil }
        let distinct = readable.filter { $0.name != "external.b" }.reduce(0) { $0 + $1.elementCount }
        #expect(summary.totalParameters == distinct)
        #expect(archive.metadataValue("onnx.unread_initializers") == "text (STRING), unsigned16 (UINT16)")
    }

    @Test func unreadTypesOpenButAreRefusedByNameWhenAsked() throws {
        let model = try #require(try Self.dtypes().onnx)
        let text = try #require(model.graph.initializers.first { $0.name == "text" })
        #expect(text.dims == [2])
        #expect(throws: ModelFileError("tensor \"text\" has ONNX type STRING, which nnview does not read (it reads "
            + "\(ONNXDataType.readableNames))")) { try text.record() }
    }

    @Test func summaryJSONHasTheGraphSection() throws {
        let summary = try ModelSummary(ModelLoader.load(Fixtures.path("onnx/dtypes.onnx")))
        let json = summary.json()
        #expect(json.contains(#""inputs": [{"name": "x", "dtype": "FLOAT", "shape": ["batch", 4]}, "#
            + #"{"name": "flag", "dtype": "BOOL", "shape": []}]"#))
        #expect(json.contains(#""outputs": [{"name": "y", "dtype": "FLOAT", "shape": [2, "batch"]}, "#
            + #"{"name": "chosen", "dtype": "FLOAT", "shape": null}]"#))
        #expect(json.contains(#""opset_import": [{"domain": "", "version": 21}]"#))
        #expect(json.contains(#""op_counts": {"Add": 1, "Constant": 1, "Identity": 1, "If": 1, "MatMul": 1, "Transpose": 1}"#))
        let table = summary.table()
        #expect(table.contains("Input x        FLOAT  [batch, 4]"))
        #expect(table.contains("Nodes: 6 (Add 1, Constant 1, Identity 1, If 1, MatMul 1, Transpose 1)"))
    }
}
