import Foundation
import Testing

/// `examples/downstream` is a separate package that depends on this one by path and uses the NNCore and NNModules
/// products. SwiftPM refuses a dependency whose targets use unsafe flags, so this build fails as soon as
/// Package.swift grows one.
///
/// Slow-ish: one debug build of CNNKernels, NNCore, NNModules and the example in a fresh scratch folder (54 s on
/// the project's 2-core machine while another build ran), so it is a single test doing a single build. The scratch folder is
/// deleted afterwards, and so is the Package.resolved the build writes next to the example's manifest (unless one
/// was there before).
@Suite("A downstream package builds against NNCore and NNModules")
struct DownstreamPackageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let example = repository.appendingPathComponent("examples/downstream")

    @Test func downstreamPackageBuildsAndRuns() throws {
        let files = FileManager.default
        let name = "nnview-downstream-\(UUID().uuidString)"
        let scratch = files.temporaryDirectory.appendingPathComponent(name)
        let resolved = Self.example.appendingPathComponent("Package.resolved")
        let hadResolved = files.fileExists(atPath: resolved.path)
        defer {
            try? files.removeItem(at: scratch)
            // SwiftPM also leaves lock files named after the scratch path in the temporary directory.
            let temporary = files.temporaryDirectory
            for leftover in (try? files.contentsOfDirectory(atPath: temporary.path)) ?? [] where leftover.contains(name) {
                try? files.removeItem(at: temporary.appendingPathComponent(leftover))
            }
            if !hadResolved { try? files.removeItem(at: resolved) }
        }
        // Pin nnview's own dependencies to the versions this checkout already resolved (when it has), so the
        // build checks them out from SwiftPM's cache instead of asking the network which versions exist.
        let rootResolved = Self.repository.appendingPathComponent("Package.resolved")
        if !hadResolved && files.fileExists(atPath: rootResolved.path) {
            try files.copyItem(at: rootResolved, to: resolved)
        }
        // SwiftPM's own temporary folders and lock files go inside the scratch folder too, so nothing is left behind.
        let temporary = scratch.appendingPathComponent("tmp")
        try files.createDirectory(at: temporary, withIntermediateDirectories: true)
        let build = try NNViewProcess.run(["/usr/bin/env", "TMPDIR=\(temporary.path)", "swift", "build", "--package-path",
                                           Self.example.path, "--scratch-path", scratch.path], viaShell: true, timeout: 900)
        try #require(build.status == 0 && !build.timedOut,
                     "swift build of examples/downstream failed (\(build.status)):\n\(build.stdout)\n\(build.stderr)")
        let run = try NNViewProcess.run([scratch.appendingPathComponent("debug/downstream").path], viaShell: true)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "[2, 10]\n[\"2\", \"4\"]\n")
    }
}
