import Foundation
import Testing
@testable import ModelFiles

/// Inputs the fuzzers (scripts/fuzz.sh) once crashed on, kept in Fixtures/regressions/ as `<target>-<what>.<ext>`.
/// Each must now open to a clean error naming the problem, and must never trap.
@Suite struct FuzzRegressionTests {
    /// Every regression file and a fragment its error message must contain.
    static let expectedErrors: [String: String] = [
        "gguf-first-dimension-overflow.gguf": "overflows",
    ]

    /// The files present, so a regression added without an expectation fails instead of being ignored.
    static var files: [String] {
        let folder = Fixtures.path("regressions")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func everyRegressionFileHasAnExpectation() {
        #expect(Set(Self.files) == Set(Self.expectedErrors.keys))
    }

    @Test(arguments: FuzzRegressionTests.expectedErrors.keys.sorted())
    func regressionOpensToACleanError(_ name: String) throws {
        let path = Fixtures.path("regressions/" + name)
        let expected = try #require(Self.expectedErrors[name])
        do {
            if name.hasPrefix("spec-") {
                _ = try ModelSpec.load(path: path)
            } else {
                let archive = try ModelFileReader.open(path: path)
                // Opening may be fine when the crash was in element access: then access must throw.
                _ = try archive.stateDict(limit: 1 << 16)
                for record in archive.tensors { _ = try record.rowMajorBytes(limit: 1 << 16) }
            }
            Issue.record("\(name) opened without an error")
        } catch {
            let text = "\(error)"
            #expect(text.contains(expected), "\(name): \(text)")
            #expect(!text.contains("\n"), "\(name): the message should be one line: \(text)")
        }
    }
}
