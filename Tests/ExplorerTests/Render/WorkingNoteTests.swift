import Foundation
import Testing
import TerminalUI
import ModelFiles
@testable import Explorer

/// A slow edit shows that it is working before it runs (issue 15 §6).
@Suite struct WorkingNoteTests {
    /// A backend that keeps every frame's text.
    final class RecordingBackend: Backend {
        let inner: TestBackend
        var frames: [String] = []
        init(width: Int, height: Int) { inner = TestBackend(width: width, height: height, colorDepth: .none) }
        var size: Size { inner.size }
        var colorDepth: ColorDepth { inner.colorDepth }
        func draw(_ buffer: Buffer) { inner.draw(buffer); frames.append(buffer.text) }
        func readEvent(timeout: Duration?) -> InputEvent? { inner.readEvent(timeout: timeout) }
        func suspend() {}
        func restore() {}
    }

    @Test func aMillionElementFillSaysItIsWorkingFirst() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/big.safetensors"
        let values = [Float](repeating: 0.5, count: 1000 * 1000)
        try SafeTensorsWriter.write(tensors: [(name: "big", type: .f32, shape: [1000, 1000],
                                               bytes: values.withUnsafeBytes { Array($0) })], to: path)
        let state = try ExplorerState(model: try ModelLoader.load(path))
        let backend = RecordingBackend(width: 100, height: 30)
        let session = ExplorerSession(state: state, backend: backend, theme: .builtInDefault, ascii: false,
                                      loadTheme: { _ in nil })
        #expect(state.select(path: "big"))
        for event in try KeySpec.parse("Tab F text:2 Enter") { session.handle(event) }
        let working = backend.frames.filter { $0.contains("working: filling 1,000,000 values…") }
        #expect(working.count == 1, "one frame announces the work")
        #expect(backend.frames.last?.contains("fill with 2") == true)
        #expect(try tensorDetail(state).stats?.min == 2)
        // A small edit is not announced.
        let small = try ExplorerState(model: try ModelLoader.load("tied"))
        #expect(small.select(path: "0.weight"))
        try press(small, "Tab F")
        #expect(small.workingNote(for: .enter) == nil)
    }
}
