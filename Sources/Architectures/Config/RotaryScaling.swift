/// How a Llama-family config stretches its rotary embeddings past the context it was trained on (`rope_scaling`,
/// or `rope_parameters` in transformers 5): the inverse frequencies transformers' `ROPE_INIT_FUNCTIONS` compute
/// for each `rope_type` nnview runs. Types that also change the attention (yarn, longrope) or depend on the
/// sequence length (dynamic) are refused when the config is read.
public enum RotaryScaling: Equatable, Sendable {
    /// θ^(−2i/D) as they are.
    case none
    /// Positions divided by `factor` (every frequency divided by it).
    case linear(factor: Float)
    /// Llama 3.1's: low frequencies (wavelengths past `originalContext / lowFrequencyFactor`) divided by `factor`,
    /// high ones (below `originalContext / highFrequencyFactor`) kept, those between blended smoothly.
    case llama3(factor: Float, lowFrequencyFactor: Float, highFrequencyFactor: Float, originalContext: Int)
    /// One divisor per frequency, as llama.cpp's converter stores Llama 3.1's scaling in a GGUF file
    /// (`rope_freqs.weight`).
    case frequencyFactors([Float])

    /// The scaled inverse frequencies, in float32 as transformers computes them.
    public func apply(to inverseFrequencies: [Float]) -> [Float] {
        switch self {
        case .none:
            return inverseFrequencies
        case .linear(let factor):
            return inverseFrequencies.map { $0 / factor }
        case .frequencyFactors(let factors):
            return zip(inverseFrequencies, factors).map { $0 / $1 }
        case .llama3(let factor, let low, let high, let original):
            let context = Float(original)
            let lowWavelength = context / low, highWavelength = context / high
            return inverseFrequencies.map { frequency in
                let wavelength = 2 * Float.pi / frequency
                if wavelength > lowWavelength { return frequency / factor }
                if wavelength < highWavelength { return frequency }
                let smooth = (context / wavelength - low) / (high - low)
                return (1 - smooth) * frequency / factor + smooth * frequency
            }
        }
    }
}

extension RotaryScaling {
    /// The scaling a Llama-family config.json asks for (`rope_scaling` or `rope_parameters`): its `rope_type` (or
    /// the older `type`) and that type's fields, each checked; one line naming the field for anything else.
    static func read(_ fields: ConfigFields) throws -> RotaryScaling {
        for prefix in ["rope_scaling", "rope_parameters"] {
            guard let kind = fields.string(prefix + ".rope_type") ?? fields.string(prefix + ".type") else { continue }
            let key = fields.has(prefix + ".rope_type") ? prefix + ".rope_type" : prefix + ".type"
            switch kind {
            case "default":
                continue
            case "linear":
                return .linear(factor: Float(try fields.real(prefix + ".factor", 1 ... 1_000)))
            case "llama3":
                let low = Float(try fields.real(prefix + ".low_freq_factor", 1e-6 ... 1_000))
                let high = Float(try fields.real(prefix + ".high_freq_factor", 1e-6 ... 1_000))
                guard high > low else {
                    throw fields.error(prefix + ".high_freq_factor", "\(high) must be greater than low_freq_factor \(low)")
                }
                return .llama3(factor: Float(try fields.real(prefix + ".factor", 1 ... 1_000)),
                               lowFrequencyFactor: low, highFrequencyFactor: high,
                               originalContext: try fields.integer(prefix + ".original_max_position_embeddings", 1 ... 1 << 24))
            default:
                throw fields.error(key, "\(kind.prefix(40)) rotary scaling is not supported (default, linear and llama3 are)")
            }
        }
        return .none
    }
}
