import Foundation
import Testing

/// Compares `text` with the golden file `Snapshots/<name>.txt`; with NNVIEW_RECORD_SNAPSHOTS=1 it (re)writes the
/// golden instead. ESC is stored as "␛" so ANSI goldens stay readable in a diff.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent(name + ".txt")
    let readable = text.replacingOccurrences(of: "\u{1B}", with: "␛") + "\n"
    if ProcessInfo.processInfo.environment["NNVIEW_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            try readable.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("could not record snapshot \(name): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let golden = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("missing golden Snapshots/\(name).txt; run with NNVIEW_RECORD_SNAPSHOTS=1 to record it",
                     sourceLocation: sourceLocation)
        return
    }
    #expect(readable == golden, "snapshot \(name) differs from its golden:\n\(readable)", sourceLocation: sourceLocation)
}
