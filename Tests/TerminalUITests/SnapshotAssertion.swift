import TestSupport
import Testing

/// This target's goldens, in Snapshots/ next to this file.
let goldens = GoldenSnapshots(besides: #filePath)

/// Compares `text` with the golden `Snapshots/<name>.txt` (see `GoldenSnapshots`).
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    goldens.assertMatches(text, named: name, sourceLocation: sourceLocation)
}
