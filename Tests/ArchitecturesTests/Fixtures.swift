import Foundation

/// Paths to the fixture files copied into this test target.
enum Fixtures {
    /// `Fixtures/<relative>` inside the test bundle.
    static func path(_ relative: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }
}
