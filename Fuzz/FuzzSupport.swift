// Shared by every fuzz target: exercises what a viewer does with an archive once it opened, with small limits so
// a fuzz input can never make the harness allocate more than a few MB on purpose.
@testable import FileFormats
@testable import ModelFiles

/// Elements one record may decode during fuzzing (the reader's own limits are tested by the test suite).
let fuzzElementLimit = 1 << 16

/// Reads every record like the explorer would: element access, the state dict and tie groups.
func exerciseArchive(_ archive: TensorArchive) {
    for record in archive.tensors {
        _ = try? record.checkedLayout()
        _ = try? record.floatValues(limit: fuzzElementLimit)
        _ = try? record.readFloat(at: 0)
        _ = try? record.makeTensor(limit: fuzzElementLimit)
        _ = try? record.rowMajorBytes(limit: fuzzElementLimit)
        _ = record.elementCount
        // The heatmap's access: a few rows, columns sampled down to at most 64.
        let columns = record.shape.last ?? 1
        _ = try? record.withFloatRows(0 ..< 4, columnStep: max(1, columns / 64)) { _, _ in }
    }
    _ = archive.tiedGroups
    _ = try? archive.stateDict(limit: fuzzElementLimit)
    _ = archive.metadata.count
}

/// The fuzz input as a buffer the readers own (copied, so the input can be freed by libFuzzer afterwards).
func fuzzBuffer(_ data: UnsafePointer<UInt8>, _ size: Int) -> ByteBuffer {
    ByteBuffer(copying: UnsafeBufferPointer(start: data, count: size))
}
