import Foundation
import Testing

/// Golden text snapshots: `folder/NAME.txt` holds the expected text (ESC stored as "␛" so ANSI frames stay readable
/// in a diff). A missing or different golden fails the test; with `NNVIEW_RECORD_SNAPSHOTS=1` the goldens are
/// (re)written instead, so a deliberate change of the screen is one re-record and a reviewable diff.
public struct GoldenSnapshots: Sendable {
    /// The folder holding the goldens.
    public let folder: URL

    /// Goldens in the folder `Snapshots` next to `file` (pass `#filePath`).
    public init(besides file: String) {
        folder = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Snapshots")
    }

    /// Whether this run re-records goldens.
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["NNVIEW_RECORD_SNAPSHOTS"] == "1" }

    /// Compares `actual` with golden `name`, or records it.
    public func assertMatches(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = folder.appendingPathComponent(name + ".txt")
        let readable = actual.replacingOccurrences(of: "\u{1B}", with: "␛")
        let text = readable.hasSuffix("\n") ? readable : readable + "\n"
        if Self.isRecording {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do {
                try text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record(Comment(rawValue: "could not record snapshot \(name): \(error)"), sourceLocation: sourceLocation)
            }
            return
        }
        guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
            let message = "missing snapshot \(url.path); run with NNVIEW_RECORD_SNAPSHOTS=1 to record it\n\(text)"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            return
        }
        if golden != text {
            let message = "snapshot \(name) differs from \(url.path) (re-record with NNVIEW_RECORD_SNAPSHOTS=1)\n"
                + "--- expected\n\(golden)--- actual\n\(text)"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
}
