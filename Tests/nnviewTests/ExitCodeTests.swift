import Foundation
import Testing

/// Exit codes: 0 success, 1 a problem with an input (one line on stderr naming the file), 2 a usage error.
@Suite struct ExitCodeTests {
    @Test(arguments: [["summary"], ["--frobnicate"], ["summary", "tied", "--frobnicate"], ["step", "tied"],
                      ["step", "tied", "--steps", "0", "--out", "r.safetensors"], ["convert", "tied", "out.txt"],
                      ["diff", "tied"], ["step", "tied", "--loss", "hinge", "--out", "r.safetensors"]])
    func usageErrorsExitTwoWithOneLine(_ arguments: [String]) throws {
        let run = try NNViewProcess.run(arguments)
        #expect(run.status == 2, "\(arguments): status \(run.status), stderr \(run.stderr)")
        #expect(run.stderrLines.count == 1, "\(arguments): \(run.stderr)")
        #expect(run.stderr.hasPrefix("nnview: "), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func missingFileExitsOneNamingIt() throws {
        // `nnview NAME` opens the explorer on NAME, so an unknown name is a missing model, not a usage error.
        let unknown = try NNViewProcess.run(["/no/such/model.nn"])
        #expect(unknown.status == 1, "\(unknown.status) \(unknown.stderr)")
        #expect(unknown.stderrLines.count == 1 && unknown.stderr.contains("/no/such/model.nn"), "\(unknown.stderr)")
        for arguments in [["summary", "/no/such/model.safetensors"], ["diff", "tied", "/no/such/b.pt"],
                          ["convert", "/no/such/in.pt", "/tmp/out.safetensors"],
                          ["summary", "tied", "--weights", "/no/such/weights.pt"]] {
            let run = try NNViewProcess.run(arguments)
            #expect(run.status == 1, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderrLines.count == 1, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("/no/such/"), "names the file: \(run.stderr)")
        }
    }

    @Test func weightsThatDoNotFitListTheNamesOnOneLine() throws {
        let run = try NNViewProcess.run(["summary", "sequential", "--weights", Fixtures.path("pytorch/tiny.pt")])
        #expect(run.status == 1)
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("tiny.pt") && run.stderr.contains("do not fit"), "\(run.stderr)")
        let partial = try NNViewProcess.run(["summary", "sequential", "--weights", Fixtures.path("pytorch/tiny.pt"), "--non-strict"])
        #expect(partial.status == 1, "a shape mismatch is refused even when not strict: \(partial.stderr)")
    }

    @Test func helpOnEveryCommandExitsZero() throws {
        for command in [[], ["explore"], ["snapshot"], ["summary"], ["step"], ["diff"], ["convert"]] {
            let run = try NNViewProcess.run(command + ["--help"])
            #expect(run.status == 0, "\(command) --help")
            #expect(run.stdout.contains("USAGE"), "\(command): \(run.stdout)")
        }
    }
}

/// `--theme light` works from any folder: the shipped themes are built into the binary (issue 15 §4).
@Suite struct ThemeFromAnyFolderTests {
    @Test func aShippedThemeLoadsOutsideTheRepository() throws {
        let run = try NNViewProcess.run(["snapshot", "tied", "--theme", "light", "--size", "60x12"],
                                        in: URL(fileURLWithPath: NSTemporaryDirectory()))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("unknown theme"))
        #expect(run.stdout.contains("nnview tied"))
    }
}

/// The smaller command-line items of issue 15 §6.
@Suite struct CommandLineHonestyTests {
    @Test func helpForAnUnknownCommandIsAUsageError() throws {
        let run = try NNViewProcess.run(["help", "bogus"])
        #expect(run.status == 2, "\(run.stdout)")
        #expect(run.stderrLines.count == 1 && run.stderr.contains("bogus"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(try NNViewProcess.run(["help", "diff"]).status == 0)
    }

    @Test func helpExploreSaysItsDefaultOnce() throws {
        let run = try NNViewProcess.run(["help", "explore"])
        #expect(run.status == 0)
        #expect(!run.stdout.contains("(default: the book"), "\(run.stdout)")
        #expect(run.stdout.components(separatedBy: "(default: tied)").count - 1 == 1, "\(run.stdout)")
    }

    @Test func theNotATerminalHintGoesToStandardError() throws {
        let run = try NNViewProcess.run(["tied"])
        #expect(run.status == 0)
        #expect(!run.stdout.contains("not a terminal"), "the redirected output holds only the summary")
        #expect(run.stderr.contains("stdout is not a terminal"), "\(run.stderr)")
    }
}

extension CommandLineHonestyTests {
    @Test func aFolderWithOnlyAWeightsFileNamesIt() throws {
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(atPath: Fixtures.path("safetensors/seed_tied.safetensors"),
                                         toPath: scratch.appendingPathComponent("weights.safetensors").path)
        let run = try NNViewProcess.run(["summary", scratch.path])
        #expect(run.status == 1)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.contains("weights.safetensors") && run.stderr.contains("open the file itself"), "\(run.stderr)")
    }
}
