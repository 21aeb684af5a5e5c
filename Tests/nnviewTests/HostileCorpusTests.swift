import Foundation
import Testing

/// The hostile corpus (scripts/make_hostile_corpus.py → Fixtures/hostile): every malformed file, through the real
/// `nnview summary FILE`, exits 1 with exactly one stderr line that names the problem, quickly, without a crash,
/// and within a 512 MiB address-space limit, so no allocation sized by a file's claims can succeed.
@Suite struct HostileCorpusTests {
    /// One manifest line: the file, a substring its error must contain, and what is wrong with it.
    struct Entry: CustomStringConvertible, Sendable {
        var file: String
        var expected: String
        var problem: String
        var description: String { file }
    }

    static let folder = Fixtures.folder.appendingPathComponent("hostile")

    static let entries: [Entry] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("manifest.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Entry(file: fields[0], expected: fields.count > 1 ? fields[1] : "", problem: fields.count > 2 ? fields[2] : "")
        }
    }()

    @Test func corpusIsLargeAndFullyListed() throws {
        #expect(Self.entries.count >= 40, "at least 40 hostile files, found \(Self.entries.count)")
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0 != "manifest.tsv" }
        #expect(Set(files) == Set(Self.entries.map(\.file)), "every file has a manifest line and every line a file")
        #expect(Self.entries.allSatisfy { !$0.expected.isEmpty }, "every file names the substring its error must contain")
    }

    @Test(arguments: entries)
    func refusedWithOneLine(_ entry: Entry) throws {
        try check(entry)
    }

    func check(_ entry: Entry) throws {
        let path = Self.folder.appendingPathComponent(entry.file).path
        // 512 MiB of address space: enough for nnview, far too little for any size a hostile file claims.
        let run = try NNViewProcess.run(["/bin/sh", "-c", "ulimit -v 524288 && exec \"$0\" summary \"$1\"",
                                         NNViewProcess.binary.path, path], viaShell: true, timeout: 5)
        let (timedOut, crashed, status) = (run.timedOut, run.crashed, run.status)
        #expect(!timedOut, "\(entry.file) (\(entry.problem)): still running after 5 s")
        #expect(!crashed, "\(entry.file) (\(entry.problem)): crashed: \(run.stderr.prefix(300))")
        #expect(status == 1, "\(entry.file) (\(entry.problem)): exit status \(run.status), stderr \(run.stderr.prefix(300))")
        #expect(run.stderrLines.count == 1, "\(entry.file): exactly one stderr line, got \(run.stderrLines.count): \(run.stderr.prefix(300))")
        let line = run.stderrLines.first ?? ""
        #expect(line.hasPrefix("nnview: "), "\(line)")
        #expect(line.localizedCaseInsensitiveContains(entry.expected),
                "\(entry.file) (\(entry.problem)): expected \"\(entry.expected)\" in: \(line)")
        #expect(line.contains(entry.file) || line.contains(".safetensors"), "names the file: \(line)")
        #expect(run.stdout.isEmpty, "nothing on stdout for a refused file")
        #expect(run.seconds < 5, "\(entry.file): \(run.seconds) s")
    }
}
