#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import FileFormats
@testable import ModelFiles

/// What a successful save keeps and cleans: the replaced file's permission bits, and no temporary files of the
/// same target left behind by an earlier save that was killed.
@Suite struct AtomicSaveHousekeepingTests {
    static func permissions(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : nil
    }

    static func save(_ version: Int, to path: String, overwrite: Bool = true) throws {
        let bytes = (0 ..< 64).map { UInt8(truncatingIfNeeded: $0 &+ version) }
        try SafeTensorsWriter.write(tensors: [("a", ElementType.f32, [16], bytes)], metadata: [], to: path,
                                    overwrite: overwrite)
    }

    /// Sets a file's access and modification times to `secondsAgo` seconds in the past (or future if negative).
    static func age(_ path: String, secondsAgo: Int) {
        let when = time(nil) - secondsAgo
        var times = [timeval(tv_sec: when, tv_usec: 0), timeval(tv_sec: when, tv_usec: 0)]
        _ = utimes(path, &times)
    }

    @Test(arguments: [0o600, 0o640, 0o755] as [mode_t])
    func replacingAFileKeepsItsPermissionBits(mode: mode_t) throws {
        let target = try Fixtures.scratchFolder() + "/model.safetensors"
        try Self.save(1, to: target)
        #expect(chmod(target, mode) == 0)
        try Self.save(2, to: target)
        #expect(Self.permissions(target) == mode)
        #expect(try SafeTensorsReader.read(path: target).tensor(named: "a") != nil)
    }

    @Test func aNewFileGetsTheUsualMode() throws {
        let target = try Fixtures.scratchFolder() + "/fresh.safetensors"
        try Self.save(1, to: target, overwrite: false)
        #expect(Self.permissions(target) == 0o644)
    }

    @Test func aSuccessfulSaveRemovesOnlyStaleTemporariesOfItsOwnTarget() throws {
        let folder = try Fixtures.scratchFolder()
        let target = folder + "/model.safetensors"
        try Self.save(1, to: target)
        let stale = ".model.safetensors.tmp-Ab12Cd"
        let kept = [
            ".model.safetensors.tmp-Zz99Yy",  // newer than the save: maybe a save still running
            ".model.safetensors.tmp-abc12",   // not the mkstemp pattern (five characters)
            ".model.safetensors.tmp-abc1234", // seven characters
            ".other.safetensors.tmp-Ab12Cd",  // another target's temporary
            "model.safetensors.tmp-Ab12Cd",   // no leading dot
        ]
        for name in [stale] + kept {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data([1, 2, 3])))
            Self.age(folder + "/" + name, secondsAgo: 3600)
        }
        Self.age(folder + "/" + kept[0], secondsAgo: -3600)
        try Self.save(2, to: target)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(!names.contains(stale))
        #expect(names == Set(kept + ["model.safetensors"]))
    }

    @Test func aFailedSaveLeavesStaleTemporariesAlone() throws {
        let folder = try Fixtures.scratchFolder()
        let target = folder + "/model.safetensors"
        try Self.save(1, to: target)
        let stale = folder + "/.model.safetensors.tmp-Ab12Cd"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data([1])))
        Self.age(stale, secondsAgo: 3600)
        let refusal = #expect(throws: SafeTensorsError.self) { try Self.save(2, to: target, overwrite: false) }
        #expect(refusal?.description.contains("already exists; not overwriting it") == true)
        #expect(FileManager.default.fileExists(atPath: stale))
    }
}
