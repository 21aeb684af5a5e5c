#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing
@testable import Images

/// Bad files (written by scripts/reference/make_image_references.py): each gives one line naming the file and
/// what is wrong, checked before any pixel memory is allocated, and failing many times leaks nothing.
@Suite struct HostileImageTests {
    static let expectedMessages: [(file: String, message: String)] = [
        ("truncated.png", "truncated PNG: the file ends in the image data"),
        ("huge.png", "PNG declares 200000 × 200000 pixels, more than nnview decodes (limit 100,000,000 pixels)"),
        ("zero_width.png", "PNG declares a zero-size image (0 × 10 pixels)"),
        ("bad_crc.png", "corrupt PNG in the header: IHDR: CRC error"),
        ("bad_text_crc.png", "corrupt PNG in the header: tEXt: CRC error"),
        ("garbage.png", "corrupt PNG in the header: PNG unsigned integer out of range"),
        ("text.png", "not a PNG or JPEG image (it starts with the text \"This is \")"),
        ("empty.png", "empty file, not an image"),
        ("gif.jpg", "a GIF image; nnview reads PNG and JPEG only"),
        ("truncated.jpg", "truncated JPEG: the file ends in the image data"),
        ("huge.jpg", "JPEG declares 65000 × 65000 pixels, more than nnview decodes (limit 100,000,000 pixels)"),
        ("zero_height.jpg", "JPEG declares a zero-size image (150 × 0 pixels)"),
        ("bad_precision.jpg", "corrupt JPEG in the header: Unsupported JPEG data precision 9"),
        ("garbage.jpg", "truncated JPEG: the file ends in the header"),
    ]

    @Test(arguments: expectedMessages.map(\.file))
    func aBadFileGivesOneLineNamingIt(file: String) throws {
        let url = Fixtures.url("hostile/" + file)
        let expected = try #require(Self.expectedMessages.first { $0.file == file }).message
        #expect(throws: ImageError(expected, file: url.path)) { try ImageDecoder.decode(fileAt: url) }
        #expect(throws: ImageError(expected, file: url.path)) { try ImageNetPreprocessing.tensor(fileAt: url) }
    }

    @Test func theMessageIsTheFileThenTheProblem() {
        let error = ImageError("truncated PNG: the file ends in the image data", file: "cat.png")
        #expect("\(error)" == "cat.png: truncated PNG: the file ends in the image data")
    }

    @Test func aMissingFileOrAFolderIsNamed() {
        let missing = Fixtures.url("hostile/no-such-file.png")
        #expect(throws: ImageError("No such file or directory", file: missing.path)) {
            try ImageDecoder.decode(fileAt: missing)
        }
        let folder = Fixtures.url("hostile")
        #expect(throws: ImageError("Is a directory", file: folder.path)) { try ImageDecoder.decode(fileAt: folder) }
    }

    /// Hosts the child mode: in a child process of its own (so other tests' allocations do not blur the
    /// numbers) it fails on every hostile file thousands of times and checks the resident set stays flat.
    static let hostTest = "HostileImageTests/repeatedFailuresLeakNothing"

    @Test func repeatedFailuresLeakNothing() throws {
        if ChildProcess.currentMode?.mode == "leaks" {
            exit(Self.failManyTimes() ? 42 : 43)
        }
        let pid = try ChildProcess.spawn(hostTest: Self.hostTest, mode: "leaks")
        #expect(ChildProcess.wait(pid) == 42, "the resident set grew while failing on bad images (or the child crashed)")
    }

    /// Decodes every hostile file `rounds` times after a warm-up; true if the resident set grew by under 4 MB.
    /// A leak of the smallest libpng or libjpeg state (well over 1 KB) would grow it by 20 MB or more.
    static func failManyTimes(rounds: Int = 1500) -> Bool {
        let urls = expectedMessages.map { Fixtures.url("hostile/" + $0.file) }
        func failAll() -> Bool {
            urls.allSatisfy { url in (try? ImageDecoder.decode(fileAt: url)) == nil }
        }
        for _ in 0..<50 where !failAll() { return false }
        let before = residentBytes()
        for _ in 0..<rounds where !failAll() { return false }
        return residentBytes() - before < 4 << 20
    }

    /// Resident set size in bytes, from /proc/self/statm's second field (pages).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
