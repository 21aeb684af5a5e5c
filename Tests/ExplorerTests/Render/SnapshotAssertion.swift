import Foundation
import Testing

/// Golden text snapshots in `Tests/ExplorerTests/Render/Snapshots/NAME.txt`.
///
/// A missing or different golden fails the test; `NNVIEW_RECORD_SNAPSHOTS=1 swift test …` (re)writes the goldens
/// instead (and still fails nothing), so a deliberate change of the screen is one re-record and a reviewable diff.
enum SnapshotAssertion {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var isRecording: Bool { ProcessInfo.processInfo.environment["NNVIEW_RECORD_SNAPSHOTS"] == "1" }

    static func assertMatches(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = folder.appendingPathComponent(name + ".txt")
        let text = actual.hasSuffix("\n") ? actual : actual + "\n"
        if isRecording {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do {
                try text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("could not record snapshot \(name): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing snapshot \(url.path); run with NNVIEW_RECORD_SNAPSHOTS=1 to record it\n\(text)",
                         sourceLocation: sourceLocation)
            return
        }
        if golden != text {
            Issue.record("snapshot \(name) differs from \(url.path) (re-record with NNVIEW_RECORD_SNAPSHOTS=1)\n"
                         + "--- expected\n\(golden)--- actual\n\(text)", sourceLocation: sourceLocation)
        }
    }
}
