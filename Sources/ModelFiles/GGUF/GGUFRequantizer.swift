/// What a block of Float32 values becomes when quantized to a ggml type and read back: the values an edited
/// quantized tensor really holds (GG:src/ggml-quants.c `quantize_row_*_ref`, then `dequantize_row_*`).
///
/// Only the values are computed, not the packed bytes: the explorer shows and saves them as Float32 (safetensors
/// has no ggml types), so what matters is that an edit shows what the quantization keeps.
public enum GGUFRequantizer {
    /// ggml type ids whose blocks can be re-quantized: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0.
    public static let requantizableTypeIDs: Set<Int> = [2, 3, 6, 7, 8]

    /// Elements per block of a requantizable type (32 for all of them).
    public static let blockElements = 32

    /// Whether an edit to a tensor of `type` can be re-quantized.
    public static func canRequantize(_ type: ElementType) -> Bool {
        if case .ggml(let id) = type { return requantizableTypeIDs.contains(id) }
        return false
    }

    /// Replaces `block` (32 values) with what quantizing it to ggml type `typeID` and decoding gives back.
    public static func roundTrip(_ block: inout [Float], typeID: Int) throws {
        guard requantizableTypeIDs.contains(typeID), block.count == blockElements else {
            throw ModelFileError("cannot re-quantize \(GGMLTypeNames.name(of: typeID)) blocks (nnview re-quantizes Q8_0, Q4_0, Q4_1, Q5_0 and Q5_1)")
        }
        guard block.allSatisfy({ $0.isFinite }) else {
            throw ModelFileError("a \(GGMLTypeNames.name(of: typeID)) block holds finite values only")
        }
        switch typeID {
        case 8: symmetric(&block, amaxDivisor: 127)
        case 2: offsetSigned(&block, levels: 16)
        case 6: offsetSigned(&block, levels: 32)
        case 3: withMinimum(&block, levels: 16)
        case 7: withMinimum(&block, levels: 32)
        default: break
        }
    }

    /// Float32 → the nearest binary16 → Float32 (the block scales are stored as f16).
    static func half(_ x: Float) -> Float {
        #if arch(x86_64) || arch(arm64)
        return Float(Float16(x))
        #else
        return x
        #endif
    }

    /// Q8_0: d = max|x| / 127, q = round(x / d), value q·d (d as f16).
    private static func symmetric(_ block: inout [Float], amaxDivisor: Float) {
        let amax = block.reduce(Float(0)) { max($0, abs($1)) }
        let d = amax / amaxDivisor
        let id: Float = d != 0 ? 1 / d : 0
        let stored = half(d)
        for i in block.indices { block[i] = (block[i] * id).rounded() * stored }
    }

    /// Q4_0 / Q5_0: the value of largest magnitude (with its sign) sets d = max / -(levels/2); q = min(levels-1,
    /// trunc(x/d + levels/2 + 0.5)); value (q - levels/2)·d.
    private static func offsetSigned(_ block: inout [Float], levels: Int) {
        var amax: Float = 0, signedMax: Float = 0
        for v in block where abs(v) > amax { amax = abs(v); signedMax = v }
        let half = Float(levels / 2)
        let d = signedMax / -half
        let id: Float = d != 0 ? 1 / d : 0
        let stored = Self.half(d)
        for i in block.indices {
            let q = min(Float(levels - 1), Float(Int8(clamping: Int((block[i] * id + half + 0.5).rounded(.towardZero)))))
            block[i] = (q - half) * stored
        }
    }

    /// Q4_1 / Q5_1: d = (max - min) / (levels - 1), q = min(levels-1, trunc((x - min)/d + 0.5)); value q·d + min
    /// (d and min as f16).
    private static func withMinimum(_ block: inout [Float], levels: Int) {
        let low = block.min() ?? 0, high = block.max() ?? 0
        let d = (high - low) / Float(levels - 1)
        let id: Float = d != 0 ? 1 / d : 0
        let storedD = half(d), storedMin = half(low)
        for i in block.indices {
            let q = min(Float(levels - 1), Float(Int8(clamping: Int(((block[i] - low) * id + 0.5).rounded(.towardZero)))))
            block[i] = q * storedD + storedMin
        }
    }
}
