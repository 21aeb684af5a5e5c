import Foundation
import Testing
@testable import FileFormats
@testable import ModelFiles

/// Q4_K and Q6_K super-blocks encoded by nnview decode back within the type's error bound, and the blocks of
/// tiny.gguf re-encoded give back close to what they hold.
@Suite struct GGUFKQuantEncoderTests {
    /// 256 normal values (σ = `sigma`) from a fixed linear congruential generator and Box–Muller.
    static func normalBlock(seed: UInt64, sigma: Float) -> [Float] {
        var state = seed
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) + 0.5) / Float(1 << 24)
        }
        var block: [Float] = []
        for _ in 0 ..< 256 {
            let radius: Float = (-2 * log(uniform())).squareRoot()
            let angle: Float = 2 * Float.pi * uniform()
            block.append(sigma * radius * cos(angle))
        }
        return block
    }

    static func roundTrip(_ block: [Float], _ typeID: Int) throws -> [Float] {
        let bytes = try GGUFRequantizer.encode(block, typeID: typeID)
        #expect(bytes.count == GGMLTypeLayout.of(typeID)!.blockBytes)
        return GGUFRequantizer.decode(bytes, typeID: typeID)
    }

    /// Root mean square of `a - b` over the RMS of `b`.
    static func relativeRMS(_ a: [Float], _ b: [Float]) -> Float {
        let error = zip(a, b).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let size = b.reduce(Float(0)) { $0 + $1 * $1 }
        return (error / size).squareRoot()
    }

    @Test(arguments: [(12, Float(0.12)), (14, Float(0.03))])
    func aBlockRoundTripsWithinItsTypesBound(typeID: Int, bound: Float) throws {
        // 4.5 and 6.6 bits a value; measured worst over these 20 blocks: 7.8% (Q4_K) and 2.0% (Q6_K).
        var worst: Float = 0
        for seed in 1 ... 20 {
            let block = Self.normalBlock(seed: UInt64(seed), sigma: 0.02 * Float(seed))
            let back = try Self.roundTrip(block, typeID)
            worst = max(worst, Self.relativeRMS(back, block))
            // No value is off by more than one level of the coarsest sub-block scale (Q4_K: range/15; Q6_K: max/31).
            let largest = block.map(abs).max()!
            let step = typeID == 12 ? (block.max()! - min(0, block.min()!)) / 15 : largest / 31
            for (a, b) in zip(back, block) { #expect(abs(a - b) <= step, "seed \(seed): \(b) came back as \(a)") }
        }
        #expect(worst < bound, "relative RMS error \(worst)")
    }

    @Test(arguments: [(12, Float(0.001)), (14, Float(0.02))])
    func zeroBlocksComeBackExactlyAndAGridNearly(typeID: Int, bound: Float) throws {
        #expect(try Self.roundTrip([Float](repeating: 0, count: 256), typeID) == [Float](repeating: 0, count: 256))
        // 16 levels 0…3.75 in steps of 0.25: exactly Q4_K's grid; Q6_K's scale is fitted with weights x², which
        // favours the large values over landing every small one on a level.
        let ramp = (0 ..< 256).map { Float($0 % 16) * 0.25 }
        let back = try Self.roundTrip(ramp, typeID)
        #expect(Self.relativeRMS(back, ramp) < bound, "\(back.prefix(16))")
    }

    @Test func aBlockOfTheWrongSizeOrWithNaNIsRefused() throws {
        #expect(throws: ModelFileError.self) { try GGUFRequantizer.encode([Float](repeating: 1, count: 32), typeID: 12) }
        var block = [Float](repeating: 1, count: 256)
        block[7] = .nan
        #expect(throws: ModelFileError.self) { try GGUFRequantizer.encode(block, typeID: 14) }
        #expect(throws: ModelFileError.self) { try GGUFRequantizer.encode(block, typeID: 10) }  // Q2_K: not decoded
    }

    @Test func tinysKQuantBlocksReEncodeToCloseValues() throws {
        let archive = try GGUFReaderTests.tiny()
        // Measured: 0.6% (Q4_K) and 0.9% (Q6_K) relative RMS; re-encoding values already on a k-quant grid.
        for (name, typeID, bound) in [("blk.0.ffn_up.weight", 12, Float(0.02)), ("blk.0.ffn_down.weight", 14, Float(0.02))] {
            let record = try #require(archive.tensors.first { $0.name == name })
            let values = try record.floatValues(limit: 1 << 20)
            #expect(values.count % 256 == 0 && values.count >= 256)
            var back: [Float] = []
            for start in stride(from: 0, to: values.count, by: 256) {
                back += try Self.roundTrip(Array(values[start ..< start + 256]), typeID)
            }
            let error = Self.relativeRMS(back, values)
            #expect(error < bound, "\(name): relative RMS error \(error)")
        }
    }

    @Test func the32ValueTypesEncodeToTheBytesGGUFPyWrote() throws {
        // tiny.gguf's Q8_0, Q4_0 and Q4_1 blocks were written by gguf-py: decoding and re-encoding gives its bytes.
        let archive = try GGUFReaderTests.tiny()
        for (name, typeID) in [("blk.0.attn_q.weight", 8), ("blk.0.attn_k.weight", 2), ("blk.0.attn_v.weight", 3)] {
            let record = try #require(archive.tensors.first { $0.name == name })
            let layout = GGMLTypeLayout.of(typeID)!
            let raw = [UInt8](record.storage.bytes)
            let values = try record.floatValues(limit: 1 << 20)
            var mismatched = 0
            for block in 0 ..< values.count / 32 {
                let bytes = try GGUFRequantizer.encode(Array(values[block * 32 ..< block * 32 + 32]), typeID: typeID)
                let expected = Array(raw[block * layout.blockBytes ..< (block + 1) * layout.blockBytes])
                if bytes != expected { mismatched += 1 }
            }
            #expect(mismatched == 0, "\(name): \(mismatched) blocks differ")
        }
    }
}
