import Foundation
import Testing
@testable import FileFormats
@testable import ModelFiles

/// Inputs the fuzzers (scripts/fuzz.sh) once crashed or hung on, kept in Fixtures/regressions/ as
/// `<target>-<what>.<ext>`. Each must now either fail with a clean one-line error naming the problem, or open and be
/// read completely. The hangs are caught by a generous time limit on the test, not a wall-clock assertion (a loaded
/// machine made a one-second bound fail).
@Suite struct FuzzRegressionTests {
    /// Files that must fail, with a fragment their error message must contain.
    static let expectedErrors: [String: String] = [
        // ne0 near 2^62 times the F32 block size overflowed in the byte count.
        "gguf-first-dimension-overflow.gguf": "overflows",
        // An empty tensor of sizes like [2^40, 2^40, 0]: its row-major strides overflowed while the record was made,
        // before the truncated data section could be reported.
        "gguf-empty-tensor-stride-overflow.gguf": "past the end",
        // `input = rand(55555550, 0)` passed the element budget (0 elements), but the dry forward's activations were
        // [55555550, 256]: the batch's activations are now checked from one sample before the batch runs.
        "spec-empty-batch-activations.nn": "makes activations of",
    ]

    /// Files that are valid and must open and read quickly (they used to hang).
    static let expectedToOpen: Set<String> = [
        // A [2^60-ish, 0] tensor: 0 elements, but element access walked every one of its empty rows.
        "gguf-empty-tensor-with-huge-row-count.gguf",
    ]

    /// The files present, so a regression added without an expectation fails instead of being ignored.
    static var files: [String] {
        let folder = Fixtures.path("regressions")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func everyRegressionFileHasAnExpectation() {
        #expect(Set(Self.files) == Set(Self.expectedErrors.keys).union(Self.expectedToOpen))
        #expect(!Self.files.isEmpty)
    }

    /// Opens `name` and reads every tensor the way the explorer does (small limits); returns the error, if any.
    private func openAndRead(_ name: String) -> (any Error)? {
        let path = Fixtures.path("regressions/" + name)
        do {
            if name.hasPrefix("spec-") {
                _ = try ModelSpec.load(path: path)
            } else {
                let archive = try ModelFileReader.open(path: path)
                _ = try archive.stateDict(limit: 1 << 16)
                for record in archive.tensors { _ = try record.rowMajorBytes(limit: 1 << 16) }
                _ = try archive.firstNonFinite(limit: 1 << 16)
            }
            return nil
        } catch {
            return error
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: FuzzRegressionTests.expectedErrors.keys.sorted())
    func regressionFailsWithACleanError(_ name: String) throws {
        let expected = try #require(Self.expectedErrors[name])
        let text = "\(try #require(openAndRead(name), "\(name) opened without an error"))"
        #expect(text.contains(expected), "\(name): \(text)")
        #expect(!text.contains("\n"), "\(name): the message should be one line: \(text)")
    }

    @Test(.timeLimit(.minutes(1)), arguments: FuzzRegressionTests.expectedToOpen.sorted())
    func regressionOpensAndReadsCompletely(_ name: String) throws {
        let failure = openAndRead(name)
        #expect(failure == nil, "\(name): \(failure.map { "\($0)" } ?? "")")
    }
}
