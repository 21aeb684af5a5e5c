import Synchronization

/// A deterministic random number generator (xoshiro256** seeded through splitmix64): the same seed gives the
/// same numbers on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform float in [0, 1) from the top 24 bits (every value exactly representable).
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal float (Box-Muller on two uniforms, computed in Double).
    public mutating func nextNormal() -> Float {
        // 1 - u keeps the logarithm's argument in (0, 1].
        let u1 = 1.0 - Double(nextUniform())
        let u2 = Double(nextUniform())
        return Float((-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2))
    }
}

/// The process-wide generator used by the `rand`/`randn` overloads without a generator argument.
enum DefaultGenerator {
    static let shared = Mutex(SeededGenerator(seed: 0))

    /// A generator that replaces the process-wide one inside `Tensor.withSeededGenerator`.
    @TaskLocal static var scoped: ScopedGenerator?

    static func withGenerator<T>(_ body: (inout SeededGenerator) throws -> T) rethrows -> T {
        if let scoped { return try body(&scoped.generator) }
        return try shared.withLock { try body(&$0) }
    }
}

/// The generator of one `withSeededGenerator` scope. Only the synchronous code of the task that opened the scope
/// reaches it (a task-local value), so it needs no lock.
final class ScopedGenerator: @unchecked Sendable {
    var generator: SeededGenerator

    init(_ generator: SeededGenerator) { self.generator = generator }
}
