import Architectures
import NNCore
import NNModules
import ModelFiles
import ModulePaths

/// Builds the explorer's tree and tensor entries from a live module or from a file's dotted names.
enum TreeBuilder {
    struct Result {
        var nodes: [TreeNode]
        var entries: [TensorEntry]
    }

    /// A live model: every module under every name it is registered at (a shared instance appears at each),
    /// each module's own parameters and buffers before its children, as `stateDict()` orders them.
    static func live(_ model: Module, name: String) -> Result {
        var nodes: [TreeNode] = [TreeNode(path: "", name: name, depth: 0, parent: nil, kind: .module, module: model,
                                          entry: nil, typeSummary: model.summary)]
        var moduleChildren: [[Int]] = [[]]
        var nodeOfPath: [String: Int] = ["": 0]
        var stack: [Int] = [0]
        while let index = stack.popLast() {
            guard let module = nodes[index].module else { continue }
            var added: [Int] = []
            for (childName, child) in module.childrenWithAllNames {
                let path = ModulePath.join(nodes[index].path, childName)
                nodes.append(TreeNode(path: path, name: childName, depth: nodes[index].depth + 1, parent: index,
                                      kind: .module, module: child, entry: nil, typeSummary: child.summary))
                moduleChildren.append([])
                nodeOfPath[path] = nodes.count - 1
                added.append(nodes.count - 1)
            }
            moduleChildren[index] = added
            stack.append(contentsOf: added.reversed())
        }
        var tensorChildren = [[Int]](repeating: [], count: nodes.count)
        var entries: [TensorEntry] = []
        var entryOfIdentity: [ObjectIdentifier: Int] = [:]
        for item in model.stateDict() {
            let (parentPath, leaf) = ModulePath.split(item.name)
            guard let parent = nodeOfPath[parentPath], let owner = nodes[parent].module else { continue }
            let identity: ObjectIdentifier
            let make: (Int) -> TensorEntry
            if item.isBuffer, let tensor = item.tensor {
                identity = ObjectIdentifier(tensor)
                make = { TensorEntry(id: $0, kind: .buffer, buffer: tensor) }
            } else if let slot = owner.parameterSlot(leaf) {
                identity = slot.identity
                make = { TensorEntry(id: $0, kind: .parameter, slot: slot) }
            } else {
                continue
            }
            let entryIndex: Int
            if let existing = entryOfIdentity[identity] {
                entryIndex = existing
            } else {
                entryIndex = entries.count
                entries.append(make(entryIndex))
                entryOfIdentity[identity] = entryIndex
            }
            entries[entryIndex].names.append(item.name)
            nodes.append(TreeNode(path: item.name, name: leaf, depth: nodes[parent].depth + 1, parent: parent,
                                  kind: entries[entryIndex].kind, module: nil, entry: entryIndex, typeSummary: ""))
            tensorChildren.append([])
            tensorChildren[parent].append(nodes.count - 1)
        }
        for index in moduleChildren.indices {
            nodes[index].children = tensorChildren[index] + moduleChildren[index]
        }
        finish(&nodes, moduleKey: { node in node.module.map { ObjectIdentifier($0) } })
        var result = Result(nodes: nodes, entries: entries)
        // An ONNX graph's nodes are a branch of their own beside its initializers.
        if let graph = model as? ONNXGraphModule { appendGraphBranch(graph, to: &result) }
        return result
    }

    /// A weights file: its dotted names as `DottedNameTree` lays them out (numeric segments are indices, ordered by
    /// value); records that are one tensor in the file (`TensorRecord.tieKey`) are one entry. Nothing is read.
    static func browse(_ archive: TensorArchive, name: String) -> Result {
        var entries: [TensorEntry] = []
        var entryOfRecord: [Int] = []
        var entryOfTie: [String: Int] = [:]
        for record in archive.tensors {
            let tie = record.tieKey
            let entryIndex: Int
            if let existing = entryOfTie[tie] {
                entryIndex = existing
            } else {
                entryIndex = entries.count
                entries.append(TensorEntry(id: entryIndex, kind: .parameter, record: record))
                entryOfTie[tie] = entryIndex
            }
            entries[entryIndex].names.append(record.name)
            entryOfRecord.append(entryIndex)
        }
        // A tree node becomes a folder row when names go below it and one tensor row per record of exactly its name
        // (a name can be both: `a` and `a.b`). Rows are numbered in the order the file first mentions them; a
        // folder's rows come in the tree's order.
        struct Row {
            /// (the first record at or below the row, its depth): the order in which the file first mentions rows.
            var firstMention: (Int, Int)
            var path: String
            var segment: String
            var depth: Int
            var parent: Int?
            var record: Int?
            var children: [Int] = []
        }
        var rows = [Row(firstMention: (-1, 0), path: "", segment: name, depth: 0, parent: nil, record: nil)]
        var folderAtDepth: [Int] = [0]
        for node in DottedNameTree(names: archive.tensors.map(\.name)).nodes {
            let depth = node.depth + 1
            folderAtDepth.removeSubrange(depth...)
            let parent = folderAtDepth[depth - 1]
            var made = node.leafIndices.map {
                Row(firstMention: ($0, depth), path: node.path, segment: node.segment, depth: depth, parent: parent,
                    record: $0)
            }
            if let below = node.nameIndices.first(where: { !node.leafIndices.contains($0) }) {
                made.append(Row(firstMention: (below, depth), path: node.path, segment: node.segment, depth: depth,
                                parent: parent, record: nil))
            }
            made.sort { $0.firstMention < $1.firstMention }
            for row in made {
                rows[parent].children.append(rows.count)
                if row.record == nil { folderAtDepth.append(rows.count) }
                rows.append(row)
            }
        }
        let order = rows.indices.sorted { rows[$0].firstMention < rows[$1].firstMention }
        var nodeOfRow = [Int](repeating: 0, count: rows.count)
        for (node, row) in order.enumerated() { nodeOfRow[row] = node }
        var nodes: [TreeNode] = order.map { index in
            let row = rows[index]
            let summary = row.parent == nil ? archive.format
                : row.record != nil ? "" : row.children.count == 1 ? "1 item" : "\(row.children.count) items"
            var node = TreeNode(path: row.path, name: row.segment, depth: row.depth,
                                parent: row.parent.map { nodeOfRow[$0] }, kind: row.record == nil ? .module : .parameter,
                                module: nil, entry: row.record.map { entryOfRecord[$0] }, typeSummary: summary)
            node.children = row.children.map { nodeOfRow[$0] }
            return node
        }
        // Without module objects, two prefixes are one shared module when everything under them is tied: the
        // same tensors under the same relative names (`2.weight`/`4.weight` and `2.bias`/`4.bias`).
        finish(&nodes, moduleKey: { _ in nil }, browseEntries: entries)
        return Result(nodes: nodes, entries: entries)
    }

    /// Subtree entry lists (post-order) and shared-group numbers (pre-order, first use first).
    static func finish(_ nodes: inout [TreeNode], moduleKey: (TreeNode) -> ObjectIdentifier?,
                       browseEntries: [TensorEntry]? = nil) {
        let order = preOrder(nodes)
        for index in order.reversed() {
            var seen = Set<Int>()
            var list: [Int] = []
            if let entry = nodes[index].entry { list.append(entry); seen.insert(entry) }
            for child in nodes[index].children {
                for entry in nodes[child].subtreeEntries where seen.insert(entry).inserted { list.append(entry) }
            }
            nodes[index].subtreeEntries = list
        }
        enum Key: Hashable { case module(ObjectIdentifier), entry(Int), tiedPrefix([Int], [String]) }
        var uses: [Key: Int] = [:]
        let snapshot = nodes
        func key(_ node: TreeNode) -> Key? {
            if let entry = node.entry { return .entry(entry) }
            if let browseEntries, node.parent != nil, !node.subtreeEntries.isEmpty,
               node.subtreeEntries.allSatisfy({ browseEntries[$0].names.count > 1 }) {
                let prefixLength = node.path.count + 1
                var relative: [String] = []
                var stack = node.children
                while let child = stack.popLast() {
                    if snapshot[child].entry != nil { relative.append(String(snapshot[child].path.dropFirst(prefixLength))) }
                    stack.append(contentsOf: snapshot[child].children)
                }
                return .tiedPrefix(node.subtreeEntries.sorted(), relative.sorted())
            }
            return moduleKey(node).map(Key.module)
        }
        for index in order { if let k = key(nodes[index]) { uses[k, default: 0] += 1 } }
        var group: [Key: Int] = [:]
        for index in order {
            guard let k = key(nodes[index]), uses[k, default: 0] > 1 else { continue }
            if group[k] == nil { group[k] = group.count }
            nodes[index].sharedGroup = group[k]
        }
    }

    /// Node indices in display order (a parent before its children).
    static func preOrder(_ nodes: [TreeNode]) -> [Int] {
        guard !nodes.isEmpty else { return [] }
        var order: [Int] = []
        var stack = [0]
        while let index = stack.popLast() {
            order.append(index)
            stack.append(contentsOf: nodes[index].children.reversed())
        }
        return order
    }
}
