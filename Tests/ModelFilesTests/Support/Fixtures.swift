import Foundation
@testable import FileFormats
@testable import ModelFiles
import TestSupport

/// Paths to the fixture files copied into this test target, and scratch folders.
enum Fixtures {
    /// `Fixtures/<relative>` inside the test bundle.
    static func path(_ relative: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// A fresh empty folder under the system temporary folder, removed when the test process exits.
    static func scratchFolder() throws -> String {
        try ScratchSpace.folder("nnview-files").path
    }

    /// Writes `bytes` to a new file in a scratch folder and returns its path.
    static func write(_ bytes: [UInt8], name: String = "file") throws -> String {
        let path = try scratchFolder() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Little-endian byte building for crafted files.
extension Array where Element == UInt8 {
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func append(_ text: String) { append(contentsOf: Array(text.utf8)) }

    /// Overwrites bytes at `offset` with `value`, little-endian.
    mutating func setLE<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        Swift.withUnsafeBytes(of: value.littleEndian) { source in
            for (index, byte) in source.enumerated() { self[offset + index] = byte }
        }
    }
}

extension Fixtures {
    /// The bytes of fixture `relative`, copied into an array.
    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }
}
