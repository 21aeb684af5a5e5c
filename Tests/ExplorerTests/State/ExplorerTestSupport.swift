import Foundation
import Testing
import TerminalUI
import ModelFiles
@testable import Explorer
import TestSupport

/// Opens a built-in model in the explorer.
func openBuiltin(_ name: String = "tied", options: ExplorerOptions = .init()) throws -> ExplorerState {
    try ExplorerState(model: try ModelLoader.load(name), options: options)
}

/// Sends keys written as `nnview snapshot --keys` takes them; returns the reactions, in order.
@discardableResult
func press(_ state: ExplorerState, _ keys: String) throws -> [Reaction] {
    try KeySpec.parse(keys).map { state.handle($0) }
}

/// Replaces the open prompt's line with `text`, typed key by key (Ctrl-U clears the line first).
func typeLine(_ state: ExplorerState, _ text: String) {
    state.handle(.ctrl("u"))
    for character in text { state.handle(.character(character)) }
}

/// The detail pane's tensor view-model, failing the test if the selection is not a tensor.
func tensorDetail(_ state: ExplorerState, sourceLocation: SourceLocation = #_sourceLocation) throws -> TensorDetailViewModel {
    guard case .tensor(let detail) = state.detail else {
        Issue.record("detail pane does not show a tensor", sourceLocation: sourceLocation)
        throw ExplorerError("not a tensor")
    }
    return detail
}

/// The path of a fixture copied into Tests/ExplorerTests/Fixtures.
func fixturePath(_ file: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + file, withExtension: nil))
    return url.path
}

/// A fresh empty folder under the temporary directory, removed when the test process exits.
func temporaryFolder() throws -> String {
    try ScratchSpace.folder("nnview-explorer").path
}

/// The visible tree row with `path`.
func treeRow(_ state: ExplorerState, _ path: String) -> TreeRowViewModel? {
    let tree = state.tree
    return (0 ..< tree.rowCount).lazy.map { tree.row(at: $0) }.first { $0.path == path }
}
