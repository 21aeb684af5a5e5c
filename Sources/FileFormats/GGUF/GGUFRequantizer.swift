/// Quantizes blocks of Float32 values to ggml blocks (GG:src/ggml-quants.c `quantize_row_*_ref`): the bytes an
/// edited quantized tensor is saved with, and — decoded back by `GGUFDequantizer` — the values it really holds.
public enum GGUFRequantizer {
    /// ggml type ids whose blocks can be re-quantized: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 (32 values a block) and the
    /// k-quants Q4_K, Q6_K (256 values a block), every quantized type nnview decodes.
    public static let requantizableTypeIDs: Set<Int> = [2, 3, 6, 7, 8, 12, 14]

    /// Whether an edit to a tensor of `type` can be re-quantized.
    public static func canRequantize(_ type: ElementType) -> Bool {
        if case .ggml(let id) = type { return requantizableTypeIDs.contains(id) }
        return false
    }

    /// Values per block of ggml type `typeID` (32, or 256 for k-quants); nil for a type nnview cannot re-quantize.
    public static func blockElements(of typeID: Int) -> Int? {
        guard requantizableTypeIDs.contains(typeID) else { return nil }
        return GGMLTypeLayout.of(typeID)?.blockElements
    }

    /// The ggml block of type `typeID` that holds `block` (one block's values), as stored in a GGUF file.
    public static func encode(_ block: [Float], typeID: Int) throws -> [UInt8] {
        guard let count = blockElements(of: typeID), let layout = GGMLTypeLayout.of(typeID) else {
            throw ModelFileError("cannot re-quantize \(GGMLTypeNames.name(of: typeID)) blocks (nnview re-quantizes Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K and Q6_K)")
        }
        guard block.count == count else {
            throw ModelFileError("a \(GGMLTypeNames.name(of: typeID)) block holds \(count) values, not \(block.count)")
        }
        guard block.allSatisfy({ $0.isFinite }) else {
            throw ModelFileError("a \(GGMLTypeNames.name(of: typeID)) block holds finite values only")
        }
        var out = [UInt8](repeating: 0, count: layout.blockBytes)
        switch typeID {
        case 8: encodeQ8_0(block, &out)
        case 2: encodeOffsetSigned(block, &out, levels: 16)
        case 6: encodeOffsetSigned(block, &out, levels: 32)
        case 3: encodeWithMinimum(block, &out, levels: 16)
        case 7: encodeWithMinimum(block, &out, levels: 32)
        case 12: GGUFKQuantEncoder.encodeQ4K(block, &out)
        case 14: GGUFKQuantEncoder.encodeQ6K(block, &out)
        default: break
        }
        return out
    }

    /// The values of `bytes`, one block of ggml type `typeID`, as `GGUFDequantizer` decodes them.
    public static func decode(_ bytes: [UInt8], typeID: Int) -> [Float] {
        guard let layout = GGMLTypeLayout.of(typeID), GGUFDequantizer.decodableTypeIDs.contains(typeID),
              bytes.count == layout.blockBytes else { return [] }
        var values = [Float](repeating: 0, count: layout.blockElements)
        bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { GGUFDequantizer.decodeBlock(typeID, raw, $0) }
        }
        return values
    }

    /// Replaces `block` (one block's values) with what quantizing it to ggml type `typeID` and decoding gives back.
    public static func roundTrip(_ block: inout [Float], typeID: Int) throws {
        block = decode(try encode(block, typeID: typeID), typeID: typeID)
    }

    /// Float32 → the nearest binary16 → its bits (block scales are stored as f16).
    static func halfBits(_ x: Float) -> UInt16 { ElementEncoder.halfBits(x) }

    static func storeHalf(_ x: Float, _ out: inout [UInt8], at offset: Int) {
        let bits = halfBits(x)
        out[offset] = UInt8(bits & 0xFF)
        out[offset + 1] = UInt8(bits >> 8)
    }

    /// Q8_0 `{f16 d; i8 qs[32]}`: d = max|x| / 127, q = round(x / d).
    private static func encodeQ8_0(_ block: [Float], _ out: inout [UInt8]) {
        let amax = block.reduce(Float(0)) { max($0, abs($1)) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, &out, at: 0)
        for i in 0 ..< 32 { out[2 + i] = UInt8(bitPattern: Int8(clamping: Int((block[i] * id).rounded()))) }
    }

    /// Q4_0 `{f16 d; u8 qs[16]}` / Q5_0 `{f16 d; u8 qh[4]; u8 qs[16]}`: the value of largest magnitude (with its
    /// sign) sets d = max / -(levels/2); q = min(levels-1, trunc(x/d + levels/2 + 0.5)). Element j and j+16 share
    /// a byte (low and high nibble); Q5_0's fifth bits are bit j of qh.
    private static func encodeOffsetSigned(_ block: [Float], _ out: inout [UInt8], levels: Int) {
        var amax: Float = 0, signedMax: Float = 0
        for v in block where abs(v) > amax { amax = abs(v); signedMax = v }
        let half = Float(levels / 2)
        let d = signedMax / -half
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, &out, at: 0)
        let q = block.map { min(levels - 1, Int(Int8(clamping: Int(($0 * id + half + 0.5).rounded(.towardZero))))) }
        packNibbles(q, &out, quants: levels == 16 ? 2 : 6, highBits: levels == 16 ? nil : 2)
    }

    /// Q4_1 `{f16 d; f16 m; u8 qs[16]}` / Q5_1 `{f16 d; f16 m; u8 qh[4]; u8 qs[16]}`: d = (max - min)/(levels-1),
    /// q = min(levels-1, trunc((x - min)/d + 0.5)).
    private static func encodeWithMinimum(_ block: [Float], _ out: inout [UInt8], levels: Int) {
        let low = block.min() ?? 0, high = block.max() ?? 0
        let d = (high - low) / Float(levels - 1)
        let id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, &out, at: 0)
        storeHalf(low, &out, at: 2)
        let q = block.map { min(levels - 1, Int(Int8(clamping: Int((($0 - low) * id + 0.5).rounded(.towardZero))))) }
        packNibbles(q, &out, quants: levels == 16 ? 4 : 8, highBits: levels == 16 ? nil : 4)
    }

    /// Low nibbles of q[j] and q[j+16] into byte `quants + j`; the fifth bits (if `highBits`) into a u32 there.
    private static func packNibbles(_ q: [Int], _ out: inout [UInt8], quants: Int, highBits: Int?) {
        var qh: UInt32 = 0
        for j in 0 ..< 16 {
            out[quants + j] = UInt8(q[j] & 15) | UInt8(q[j + 16] & 15) << 4
            qh |= UInt32((q[j] >> 4) & 1) << UInt32(j) | UInt32((q[j + 16] >> 4) & 1) << UInt32(j + 16)
        }
        if let highBits {
            for k in 0 ..< 4 { out[highBits + k] = UInt8((qh >> UInt32(8 * k)) & 0xFF) }
        }
    }
}
