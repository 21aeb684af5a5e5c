import Testing
import TerminalUI

@Suite struct TestBackendTests {
    @Test func keepsFramesCountsChangesAndPlaysEvents() {
        let backend = TestBackend(width: 10, height: 2, colorDepth: .colors8, events: [.character("j"), .enter])
        var frame = Buffer(width: backend.size.width, height: backend.size.height)
        frame.set(x: 0, y: 0, string: "hello", style: Style(fg: .rgb(255, 0, 0)))
        backend.draw(frame)
        #expect(backend.lastChangedCellCount == 20)
        frame.set(x: 0, y: 1, string: "!", style: .plain)
        backend.draw(frame)
        #expect(backend.lastChangedCellCount == 1)
        #expect(backend.frameCount == 2)
        #expect(backend.text == "hello\n!")
        #expect(backend.ansiText.hasPrefix("\u{1B}[0;31mhello"))
        #expect(backend.readEvent(timeout: .zero) == .character("j"))
        backend.resize(width: 40, height: 12)
        #expect(backend.size == Size(width: 40, height: 12))
        #expect(backend.readEvent(timeout: nil) == .resize(width: 40, height: 12))
        #expect(backend.readEvent(timeout: nil) == .enter)
        #expect(backend.readEvent(timeout: nil) == nil)
        backend.suspend()
        #expect(backend.isSuspended)
        backend.restore()
        #expect(!backend.isSuspended)
    }
}
