import Foundation

/// Limits on what reading a file may allocate, checked before any allocation.
public enum TensorLimits {
    /// The most elements one tensor may have when it is converted to Float32 (4 GiB of memory).
    public static let maxElements = 1 << 30

    /// The most Float32 elements all tensors of one model may have together when converted at once (a whole
    /// state dict loaded into a live model): half of this machine's memory, so a checkpoint of many tensors
    /// that are each under `maxElements` is refused with a message instead of exhausting memory.
    public static let maxTotalElements: Int = {
        let half = ProcessInfo.processInfo.physicalMemory / 2 / 4
        return Int(clamping: max(half, UInt64(maxElements)))
    }()
}

extension TensorLimits {
    /// The element count of `shape`, refused before anything is allocated when a size is negative, the product
    /// overflows, or it exceeds `limit`. `what` names the tensor in the message.
    public static func checkedElementCount(_ shape: [Int], limit: Int = maxElements, what: String) throws -> Int {
        var count = 1
        for size in shape {
            guard size >= 0 else { throw ModelFileError("\(what): negative size \(size) in shape \(shape)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw ModelFileError("\(what): shape \(shape) has more elements than memory can address") }
            count = product
        }
        guard count <= limit else {
            throw ModelFileError("\(what): shape \(shape) has \(count) elements, more than the limit of \(limit)")
        }
        return count
    }
}
