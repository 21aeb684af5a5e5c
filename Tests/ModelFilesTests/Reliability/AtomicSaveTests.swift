#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import FileFormats
@testable import ModelFiles

/// Saving never loses data: a save killed at any point leaves the old file or the new one, bit-exact; a write
/// that fails midway or a folder that cannot be written is reported and leaves the original untouched.
@Suite struct AtomicSaveTests {
    /// Two 1 MiB tensors whose bytes depend on `version`, so two versions differ everywhere.
    static func content(_ version: Int) -> [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])] {
        ["a", "b"].enumerated().map { index, name in
            let bytes = (0 ..< (1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ version &* 7 &+ index) }
            return (name, ElementType.f32, [256, 1024], bytes)
        }
    }

    static func save(_ version: Int, to path: String) throws {
        try SafeTensorsWriter.write(tensors: content(version), metadata: [("version", "\(version)")], to: path)
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// Files in `folder` other than `keep`: temporary files a failed save should have removed.
    static func leftovers(in folder: String, keeping keep: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !keep.contains($0) }
    }

    /// Hosts the child modes (`ChildProcess`); run normally, it checks that back-to-back saves each leave exactly
    /// the version just written and no temporary file.
    static let hostTest = "AtomicSaveTests/repeatedSavesEachLeaveACompleteFile"

    @Test func repeatedSavesEachLeaveACompleteFile() throws {
        if let mode = ProcessInfo.processInfo.environment[ChildProcess.modeVariable] {
            try Self.runChild(mode)
            return
        }
        let folder = try Fixtures.scratchFolder()
        let target = folder + "/model.safetensors"
        for version in [1, 2, 1, 3] {
            try Self.save(version, to: target)
            let archive = try SafeTensorsReader.read(path: target)
            #expect(archive.metadataValue("version") == "\(version)")
            #expect(try archive.tensor(named: "b")!.rowMajorBytes().bytes.elementsEqual(Self.content(version)[1].bytes))
            #expect(try Self.leftovers(in: folder, keeping: ["model.safetensors"]).isEmpty)
        }
    }

    /// The exit status of a child whose checks held; anything else (including 0, a child that ran no test) fails.
    static let childSucceeded: Int32 = 42

    /// What a child does: `loop` saves version 2 forever (until killed); `limited` saves under a 64 KiB file-size
    /// limit (a write failing midway, as on a full disk); `unprivileged` saves after dropping root; `plain` just
    /// saves. All but `loop` exit with `childSucceeded` only if the save failed with an error naming the file.
    static func runChild(_ mode: String) throws {
        let (kind, path) = (String(mode.prefix { $0 != ":" }), String(mode.drop { $0 != ":" }.dropFirst()))
        var ready = false
        switch kind {
        case "loop":
            while true { try save(2, to: path) }
        case "limited":
            // Past the limit write() fails with EFBIG instead of killing us with SIGXFSZ.
            signal(SIGXFSZ, SIG_IGN)
            var limit = rlimit(rlim_cur: 64 << 10, rlim_max: 64 << 10)
            ready = setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0
        case "plain":
            // For checks by hand, e.g. saving into a nearly full tmpfs (real ENOSPC); see the README.
            ready = true
        case "unprivileged":
            // Root ignores folder permissions; "nobody" does not.
            ready = getuid() != 0 || (setgid(65534) == 0 && setuid(65534) == 0)
        default:
            break
        }
        var failedCleanly = false
        do {
            try save(2, to: path)
        } catch let error as SafeTensorsError {
            failedCleanly = "\(error)".contains("model.safetensors")
        }
        exit(ready && failedCleanly ? childSucceeded : 43)
    }

    @Test func saveKilledAtRandomPointsLeavesOldOrNewBitExact() throws {
        let folder = try Fixtures.scratchFolder()
        let target = folder + "/model.safetensors"
        try Self.save(1, to: folder + "/old.reference")
        try Self.save(2, to: folder + "/new.reference")
        let old = try #require(Self.bytes(folder + "/old.reference"))
        let new = try #require(Self.bytes(folder + "/new.reference"))
        #expect(old != new)
        var generator = SystemRandomNumberGenerator()
        var sawOld = 0
        var sawNew = 0
        for round in 0 ..< 24 {
            // A killed save leaves its temporary file behind (nothing can remove it); only those may be left.
            for name in try Self.leftovers(in: folder, keeping: ["model.safetensors", "old.reference", "new.reference"]) {
                #expect(name.hasPrefix(".model.safetensors.tmp-"), "round \(round): unexpected file \(name)")
                unlink(folder + "/" + name)
            }
            try Self.save(1, to: target)
            let pid = try ChildProcess.spawn(hostTest: Self.hostTest, mode: "loop", argument: target)
            // Start-up time varies with load, so wait for the child's first temporary file, then kill it at a
            // random point over the next few saves (each takes milliseconds).
            var waited = 0
            while try Self.leftovers(in: folder, keeping: ["model.safetensors", "old.reference", "new.reference"]).isEmpty,
                  waited < 60_000 {
                usleep(1000)
                waited += 1
            }
            usleep(UInt32.random(in: 0 ... 200_000, using: &generator))
            kill(pid, SIGKILL)
            #expect(ChildProcess.wait(pid) == 128 + SIGKILL, "round \(round): the child ended before it was killed")
            let found = try #require(Self.bytes(target), "round \(round): the target vanished")
            if found == old { sawOld += 1 } else if found == new { sawNew += 1 } else {
                Issue.record("round \(round): the target is neither the old nor the new file (\(found.count) bytes)")
            }
        }
        // The kills landed after at least one completed save, so the test exercised replacing the file.
        #expect(sawNew > 0, "old \(sawOld), new \(sawNew)")
    }

    @Test func writeFailingMidwayIsReportedAndLeavesTheOriginal() throws {
        let folder = try Fixtures.scratchFolder()
        let target = folder + "/model.safetensors"
        try Self.save(1, to: target)
        let original = try #require(Self.bytes(target))
        let pid = try ChildProcess.spawn(hostTest: Self.hostTest, mode: "limited", argument: target)
        #expect(ChildProcess.wait(pid) == Self.childSucceeded, "the child's save under a file-size limit did not fail cleanly")
        #expect(Self.bytes(target) == original)
        #expect(try Self.leftovers(in: folder, keeping: ["model.safetensors"]).isEmpty)
    }

    @Test func readOnlyFolderIsReportedAndLeavesTheOriginal() throws {
        let folder = try Fixtures.scratchFolder()
        let target = folder + "/model.safetensors"
        try Self.save(1, to: target)
        let original = try #require(Self.bytes(target))
        #expect(chmod(folder, 0o555) == 0)
        defer { chmod(folder, 0o755) }
        let pid = try ChildProcess.spawn(hostTest: Self.hostTest, mode: "unprivileged", argument: target)
        #expect(ChildProcess.wait(pid) == Self.childSucceeded, "the child's save into a read-only folder did not fail cleanly")
        #expect(Self.bytes(target) == original)
        #expect(try Self.leftovers(in: folder, keeping: ["model.safetensors"]).isEmpty)
    }

    @Test func saveIntoAMissingFolderNamesTheFileAndTheStep() throws {
        // The temporary file cannot be created (the read-only folder's failure path, checkable in-process).
        let folder = try Fixtures.scratchFolder() + "/missing"
        let target = folder + "/model.safetensors"
        do {
            try Self.save(1, to: target)
            Issue.record("saving into a missing folder succeeded")
        } catch let error as SafeTensorsError {
            #expect("\(error)".contains("model.safetensors"))
            #expect("\(error)".contains("temporary file"))
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
