import Foundation
import Testing
@testable import CursesBackend

/// What is written to standard error during a curses session comes out, in order, once the session ends.
@Suite(.serialized) struct StandardErrorCaptureTests {
    /// Runs `body` with fd 2 pointing into a pipe and returns what reached the pipe.
    private func standardError(_ body: () -> Void) throws -> String {
        var pipeFDs: [Int32] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        let original = dup(2)
        #expect(original >= 0)
        dup2(pipeFDs[1], 2)
        close(pipeFDs[1])
        body()
        dup2(original, 2)
        close(original)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(pipeFDs[0], &chunk, chunk.count)
            if n <= 0 { break }
            bytes += chunk[0 ..< n]
        }
        close(pipeFDs[0])
        return String(decoding: bytes, as: UTF8.self)
    }

    private func writeToStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    }

    @Test func heldBackDuringTheCaptureAndReplayedAtItsEnd() throws {
        var duringCapture = ""
        let text = try standardError {
            writeToStandardError("before\n")
            StandardErrorCapture.begin()
            writeToStandardError("Fatal error: something broke\n")
            writeToStandardError(String(repeating: "x", count: 10_000) + "\n")
            // Nothing has reached the real standard error yet: check by peeking at the file position of fd 2.
            duringCapture = String(lseek(2, 0, SEEK_CUR))
            StandardErrorCapture.end()
            writeToStandardError("after\n")
        }
        #expect(duringCapture == String(29 + 10_001), "fd 2 was the capture file during the session")
        #expect(text == "before\nFatal error: something broke\n" + String(repeating: "x", count: 10_000) + "\nafter\n")
    }

    @Test func endingWithoutACaptureAndBeginningTwiceAreHarmless() throws {
        let text = try standardError {
            StandardErrorCapture.end()
            StandardErrorCapture.begin()
            StandardErrorCapture.begin()
            writeToStandardError("once\n")
            StandardErrorCapture.end()
            StandardErrorCapture.end()
        }
        #expect(text == "once\n")
    }
}
