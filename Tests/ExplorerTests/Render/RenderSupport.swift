import Foundation
import Testing
import TerminalUI
import ModelFiles
@testable import Explorer

/// Renders frames the way `nnview snapshot` does: a session over a `TestBackend`, keys in `KeySpec` form.
struct RenderHarness {
    let state: ExplorerState
    let backend: TestBackend
    let session: ExplorerSession

    /// Opens `model` (a built-in name or a path) in a `width` × `height` screen at `depth`.
    init(_ model: String = "tied", width: Int = 120, height: Int = 40, depth: ColorDepth = .none,
         ascii: Bool = false) throws {
        state = try ExplorerState(model: try ModelLoader.load(model), options: ExplorerOptions(ascii: ascii))
        backend = TestBackend(width: width, height: height, colorDepth: depth)
        session = ExplorerSession(state: state, backend: backend, theme: .builtInDefault, depth: depth, ascii: ascii,
                                  loadTheme: { _ in nil })
        session.draw()
    }

    /// Presses `keys` (drawing after each, as the real loop does) and returns the last frame as text.
    @discardableResult
    func press(_ keys: String) throws -> String {
        backend.enqueue(try KeySpec.parse(keys))
        while let event = backend.readEvent(timeout: nil) {
            if !session.handle(event) { break }
        }
        return backend.text
    }

    var text: String { backend.text }
    var buffer: Buffer { backend.lastBuffer }

    /// The first screen row containing `text`, or nil.
    func row(containing text: String) -> Int? {
        buffer.textLines.firstIndex { $0.contains(text) }
    }
}

/// The fixture folder shared with the state tests (files written by the real libraries).
let explorerFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
