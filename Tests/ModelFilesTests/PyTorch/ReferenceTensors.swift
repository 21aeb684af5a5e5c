@testable import FileFormats
@testable import ModelFiles

/// Reference values for comparing the PyTorch/GGUF readers with files the real libraries wrote: an independent
/// strided element reader, and the safetensors/NumPy readers (tested in their own suites).
enum ReferenceTensors {
    struct Dense: Equatable {
        var shape: [Int]
        var values: [Double]
    }

    /// Every element of `record` in row-major order of its shape, following its strides and offset.
    static func values(_ record: TensorRecord) -> [Double] {
        let raw = record.storage.bytes
        let width = (record.type.bitsPerElement ?? 8) / 8
        func element(_ index: Int) -> Double {
            let at = index * width
            switch record.type {
            case .f32: return Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            case .f64: return Double(bitPattern: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            case .f16: return Double(GGUFDequantizer.halfToFloat(raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            case .bf16:
                return Double(Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)) << 16))
            case .i64: return Double(raw.loadUnaligned(fromByteOffset: at, as: Int64.self))
            case .i32: return Double(raw.loadUnaligned(fromByteOffset: at, as: Int32.self))
            case .u8, .bool: return Double(raw[at])
            default: return .nan
            }
        }
        var output: [Double] = []
        let count = record.elementCount
        output.reserveCapacity(count)
        var index = [Int](repeating: 0, count: record.shape.count)
        for _ in 0 ..< count {
            var position = record.elementOffset
            for axis in index.indices { position += index[axis] * record.strides[axis] }
            output.append(element(position))
            var axis = index.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < record.shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return output
    }

    /// Tensors of a safetensors file (read by the safetensors reader), by name.
    static func safetensors(path: String) throws -> [String: Dense] {
        dense(try SafeTensorsReader.read(path: path))
    }

    /// Arrays of an .npz (read by the NumPy reader), by key.
    static func npz(path: String) throws -> [String: Dense] {
        dense(try NumPyReader.readArchive(path: path))
    }

    static func dense(_ archive: TensorArchive) -> [String: Dense] {
        Dictionary(uniqueKeysWithValues: archive.tensors.map { ($0.name, Dense(shape: $0.shape, values: values($0))) })
    }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
