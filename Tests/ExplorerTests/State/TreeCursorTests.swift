import Testing
@testable import Explorer

/// TreeCursor alone, on a hand-made tree: root → a (a.x, a.y), b (b.0 → b.0.w), c.
struct TreeCursorTests {
    /// Nodes of `root{a{a.x, a.y}, b{b.0{b.0.w}}, c}`, the root first; leaves are tensors.
    static func nodes() -> [TreeNode] {
        // index: 0 root, 1 a, 2 a.x, 3 a.y, 4 b, 5 b.0, 6 b.0.w, 7 c
        let spec: [(path: String, parent: Int?, children: [Int])] = [
            ("", nil, [1, 4, 7]), ("a", 0, [2, 3]), ("a.x", 1, []), ("a.y", 1, []),
            ("b", 0, [5]), ("b.0", 4, [6]), ("b.0.w", 5, []), ("c", 0, []),
        ]
        return spec.enumerated().map { index, node in
            TreeNode(path: node.path, name: String(node.path.split(separator: ".").last ?? "model"),
                     depth: node.path.isEmpty ? 0 : node.path.split(separator: ".").count, parent: node.parent,
                     children: node.children, kind: node.children.isEmpty ? .parameter : .module, module: nil,
                     entry: node.children.isEmpty ? index : nil, typeSummary: "")
        }
    }

    func paths(_ cursor: TreeCursor) -> [String] { cursor.visible.map { cursor.nodes[$0].path } }

    @Test func aSmallTreeOpensWhole() {
        let cursor = TreeCursor(nodes: Self.nodes(), settings: ExplorerSettings())
        #expect(paths(cursor) == ["", "a", "a.x", "a.y", "b", "b.0", "b.0.w", "c"])
        #expect(cursor.selectedNode == 0)
        #expect(cursor.preOrder == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func theExpansionLimitsComeFromTheSettings() {
        // Over the whole-tree limit: the root's children with at most 1 child open.
        var settings = ExplorerSettings(expandWholeTreeUpTo: 4, expandRootChildrenUpTo: 1)
        #expect(paths(TreeCursor(nodes: Self.nodes(), settings: settings)) == ["", "a", "b", "b.0", "c"])
        // Over the limit for opening the root's children too: only the root.
        settings.expandRootChildrenInTreesUpTo = 7
        #expect(paths(TreeCursor(nodes: Self.nodes(), settings: settings)) == ["", "a", "b", "c"])
    }

    @Test func movingScrollingAndTheViewport() {
        var cursor = TreeCursor(nodes: Self.nodes(), settings: ExplorerSettings())
        cursor.setViewport(rows: 3)
        let moves = [cursor.moveCursor(by: 5)]
        #expect(cursor.cursorRow == 5 && cursor.scrollRow == 3)
        let again = cursor.moveCursor(to: 5)
        #expect(!again, "no move, no change")
        let toEnd = cursor.moveCursor(to: 100)
        #expect(moves == [true] && toEnd)
        #expect(cursor.cursorRow == 7 && cursor.scrollRow == 5)
        let scrolled = cursor.scroll(by: -10)
        #expect(scrolled)
        #expect(cursor.scrollRow == 0 && cursor.cursorRow == 2, "the cursor stays on screen")
        let scrolledPastTop = cursor.scroll(by: -1)
        #expect(!scrolledPastTop)
        cursor.setViewport(rows: 0)
        #expect(cursor.viewportRows == 1)
    }

    @Test func collapseExpandAndParents() {
        var cursor = TreeCursor(nodes: Self.nodes(), settings: ExplorerSettings())
        _ = cursor.moveCursor(to: 2)  // a.x
        let toParent = cursor.collapseOrGoToParent()
        #expect(toParent && cursor.selectedNode == 1, "a leaf goes to its parent")
        let collapsed = cursor.collapseOrGoToParent()
        #expect(collapsed)
        #expect(paths(cursor) == ["", "a", "b", "b.0", "b.0.w", "c"])
        let expanded = cursor.expandSelected()
        let expandedAgain = cursor.expandSelected()
        #expect(expanded && !expandedAgain, "the second time it is already expanded")
        #expect(cursor.selectedNode == 1)
    }

    @Test func expansionBelowTheSelectionKeepsTheRootOpen() throws {
        var cursor = TreeCursor(nodes: Self.nodes(), settings: ExplorerSettings())
        let collapsedOrNil = cursor.setExpansionBelowSelection(false)
        let collapsed = try #require(collapsedOrNil)
        #expect(collapsed.group == 0 && collapsed.changed == 4)
        #expect(paths(cursor) == ["", "a", "b", "c"])
        _ = cursor.moveCursor(to: 2)  // b
        let expandedOrNil = cursor.setExpansionBelowSelection(true)
        let expanded = try #require(expandedOrNil)
        #expect(expanded.group == 4 && expanded.changed == 2)
        #expect(paths(cursor) == ["", "a", "b", "b.0", "b.0.w", "c"])
    }

    @Test func revealAndPaths() throws {
        var cursor = TreeCursor(nodes: Self.nodes(), settings: ExplorerSettings(expandWholeTreeUpTo: 0, expandRootChildrenUpTo: 0))
        #expect(paths(cursor) == ["", "a", "b", "c"])
        let node = try #require(cursor.node(path: "b.0.w"))
        cursor.reveal(node)
        #expect(cursor.selectedNode == node)
        #expect(paths(cursor) == ["", "a", "b", "b.0", "b.0.w", "c"])
        #expect(cursor.node(path: "") == 0)
        #expect(cursor.node(path: "nope") == nil)
        let selected = cursor.select(row: 1)
        #expect(selected && cursor.selectedNode == 1)
        let selectedNothing = cursor.select(row: 99)
        #expect(!selectedNothing)
    }

    @Test func searchFindsTheNextMatchInDisplayOrderAndWraps() throws {
        var cursor = TreeCursor(nodes: Self.nodes(), settings: ExplorerSettings())
        let firstOrNil = cursor.nextMatch(of: "B.0", afterSelection: false)
        let first = try #require(firstOrNil)
        #expect(first.node == 5 && first.number == 1 && first.count == 2)
        cursor.reveal(first.node)
        let atSelection = cursor.nextMatch(of: "b.0", afterSelection: false)?.node
        #expect(atSelection == 5, "at the selection counts")
        let secondOrNil = cursor.nextMatch(of: "b.0", afterSelection: true)
        let second = try #require(secondOrNil)
        #expect(second.node == 6 && second.number == 2)
        cursor.reveal(second.node)
        let wrapped = cursor.nextMatch(of: "b.0", afterSelection: true)?.node
        #expect(wrapped == 5, "wraps around")
        let none = cursor.nextMatch(of: "zzz", afterSelection: false)
        #expect(none == nil)
    }
}
