import Foundation
@testable import ModelFiles

/// Just enough reading of safetensors, .npz and strided records to compare the PyTorch/GGUF readers with files
/// the real libraries wrote (the safetensors/NumPy readers live elsewhere and are tested there).
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

    /// F32 tensors of a safetensors file, by name.
    static func safetensors(_ bytes: [UInt8]) throws -> [String: Dense] {
        let headerLength = bytes[0 ..< 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8 ..< 8 + headerLength])) as! [String: Any]
        var result: [String: Dense] = [:]
        for (name, info) in header where name != "__metadata__" {
            let info = info as! [String: Any]
            guard info["dtype"] as? String == "F32" else { continue }
            let offsets = info["data_offsets"] as! [Int]
            let start = 8 + headerLength + offsets[0]
            let values = bytes[start ..< 8 + headerLength + offsets[1]].withUnsafeBytes { raw in
                (0 ..< raw.count / 4).map { Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            result[name] = Dense(shape: info["shape"] as! [Int], values: values)
        }
        return result
    }

    /// `<f4` members of a stored .npz, by key.
    static func npz(path: String) throws -> [String: Dense] {
        let zip = try ZipArchiveReader(buffer: ByteBuffer.map(path: path), source: path)
        var result: [String: Dense] = [:]
        for entry in zip.entries {
            let bytes = try zip.data(of: entry).bytes
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            let header = String(decoding: bytes[10 ..< 10 + headerLength], as: UTF8.self)
            guard header.contains("'<f4'") else { continue }
            let shapeText = header.split(separator: "(")[1].split(separator: ")")[0]
            let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            let data = UnsafeRawBufferPointer(rebasing: bytes[(10 + headerLength)...])
            let values = (0 ..< data.count / 4).map {
                Double(Float(bitPattern: data.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
            result[String(entry.name.dropLast(4))] = Dense(shape: shape, values: values)
        }
        return result
    }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }
}
