import Foundation
import TestSupport

/// Paths of this test target's fixture files (copied from the shared fixtures; never read from /work/shared).
enum Fixtures {
    /// The Fixtures folder next to this file's folder.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The absolute path of `relative` inside Fixtures.
    static func path(_ relative: String) -> String {
        folder.appendingPathComponent(relative).path
    }

    /// A fresh empty folder for a test's outputs, removed when the test process exits.
    static func scratchFolder() throws -> URL {
        try ScratchSpace.folder("nnview-tests")
    }
}
