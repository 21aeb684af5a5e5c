import Architectures
import NNCore
import NNModules
import ModelFiles

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
                let path = nodes[index].path.isEmpty ? childName : nodes[index].path + "." + childName
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
            let (parentPath, leaf) = splitPath(item.name)
            guard let parent = nodeOfPath[parentPath], let owner = nodes[parent].module else { continue }
            let identity: ObjectIdentifier
            let make: (Int) -> TensorEntry
            if item.isBuffer, let tensor = item.tensor {
                identity = ObjectIdentifier(tensor)
                make = { TensorEntry(id: $0, kind: .buffer, buffer: tensor) }
            } else if let slot = owner.parameterSlot(leaf) {
                identity = slot.tensorIfInitialised.map(ObjectIdentifier.init) ?? ObjectIdentifier(slot)
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

    /// A weights file: dotted names become a tree (numeric segments are indices, ordered by value); records
    /// sharing storage and layout are one entry. Nothing is read.
    static func browse(_ archive: TensorArchive, name: String) -> Result {
        var nodes: [TreeNode] = [TreeNode(path: "", name: name, depth: 0, parent: nil, kind: .module, module: nil,
                                          entry: nil, typeSummary: archive.format)]
        var moduleOfPath: [String: Int] = ["": 0]
        var entries: [TensorEntry] = []
        var entryOfTie: [String: Int] = [:]
        for record in archive.tensors {
            let segments = record.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            var parent = 0
            var path = ""
            for segment in segments.dropLast() {
                path = path.isEmpty ? segment : path + "." + segment
                if let existing = moduleOfPath[path] {
                    parent = existing
                } else {
                    nodes.append(TreeNode(path: path, name: segment, depth: nodes[parent].depth + 1, parent: parent,
                                          kind: .module, module: nil, entry: nil, typeSummary: ""))
                    nodes[parent].children.append(nodes.count - 1)
                    moduleOfPath[path] = nodes.count - 1
                    parent = nodes.count - 1
                }
            }
            let tie = "\(record.storage.key)|\(record.elementOffset)|\(record.shape)|\(record.strides)"
            let entryIndex: Int
            if let existing = entryOfTie[tie] {
                entryIndex = existing
            } else {
                entryIndex = entries.count
                entries.append(TensorEntry(id: entryIndex, kind: .parameter, record: record))
                entryOfTie[tie] = entryIndex
            }
            entries[entryIndex].names.append(record.name)
            nodes.append(TreeNode(path: record.name, name: segments.last ?? record.name,
                                  depth: nodes[parent].depth + 1, parent: parent, kind: .parameter, module: nil,
                                  entry: entryIndex, typeSummary: ""))
            nodes[parent].children.append(nodes.count - 1)
        }
        for index in nodes.indices where nodes[index].children.count > 1 {
            sortNumericChildren(&nodes, index)
        }
        for index in nodes.indices where nodes[index].kind == .module && index != 0 {
            let count = nodes[index].children.count
            nodes[index].typeSummary = count == 1 ? "1 item" : "\(count) items"
        }
        // Without module objects, two prefixes are one shared module when everything under them is tied: the
        // same tensors under the same relative names (`2.weight`/`4.weight` and `2.bias`/`4.bias`).
        finish(&nodes, moduleKey: { _ in nil }, browseEntries: entries)
        return Result(nodes: nodes, entries: entries)
    }

    static func splitPath(_ name: String) -> (parent: String, leaf: String) {
        guard let dot = name.lastIndex(of: ".") else { return ("", name) }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// Puts children whose names differ only in a trailing number in numeric order (files list "10" before "2",
    /// and "proj10" before "proj9"), keeping the other children's places (`NaturalSiblingOrder`).
    static func sortNumericChildren(_ nodes: inout [TreeNode], _ index: Int) {
        let children = nodes[index].children
        guard children.count > 1 else { return }
        nodes[index].children = NaturalSiblingOrder.order(children.map { nodes[$0].name }).map { children[$0] }
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
