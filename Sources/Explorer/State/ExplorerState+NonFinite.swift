extension ExplorerState {
    /// `N`: moves the tree cursor to the first module whose output went non-finite in the last forward pass.
    func jumpToNonFiniteOutput() throws -> Reaction {
        guard let bad = nonFiniteOutput else {
            throw ExplorerError("N: no module output was NaN or Inf in the last forward pass (f or b runs one)")
        }
        guard select(path: bad.path) else {
            throw ExplorerError("N: \(bad.statusText), but the tree has no row \(bad.path)")
        }
        focus = .tree
        setStatus(bad.statusText + " (\(bad.typeName))")
        return .redraw
    }
}
