/// A terminal colour as a theme or widget asks for it; the backend downgrades it to what the terminal can show.
public enum Color: Hashable, Sendable {
    /// The terminal's own default foreground or background.
    case `default`
    /// One of the 16 standard ANSI colours (0–7 normal, 8–15 bright).
    case ansi(UInt8)
    /// An entry of the xterm 256-colour palette.
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)
}

extension Color {
    /// The xterm default RGB values of the 16 ANSI colours, used to compare colours across kinds.
    static let ansiPalette: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]

    /// The six intensity steps of the xterm 6×6×6 colour cube.
    static let cubeSteps: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB components this colour has on an xterm-like terminal; `nil` for `.default`.
    public var rgbComponents: (r: UInt8, g: UInt8, b: UInt8)? {
        switch self {
        case .default:
            return nil
        case .ansi(let n):
            let entry = Color.ansiPalette[Int(n & 15)]
            return (entry.0, entry.1, entry.2)
        case .indexed(let n):
            return Color.indexedRGB(Int(n))
        case .rgb(let r, let g, let b):
            return (r, g, b)
        }
    }

    static func indexedRGB(_ index: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        if index < 16 {
            let entry = ansiPalette[index]
            return (entry.0, entry.1, entry.2)
        }
        if index < 232 {
            let cube = index - 16
            return (UInt8(cubeSteps[cube / 36]), UInt8(cubeSteps[(cube / 6) % 6]), UInt8(cubeSteps[cube % 6]))
        }
        let grey = UInt8(8 + (index - 232) * 10)
        return (grey, grey, grey)
    }

    /// This colour as the given depth can show it: nearest xterm-256 cube or grey entry for `.colors256`,
    /// nearest of the 8 basic colours for `.colors8`, `.default` for `.none`.
    public func downgraded(to depth: ColorDepth) -> Color {
        switch (depth, self) {
        case (_, .default), (.trueColor, _):
            return self
        case (.none, _):
            return .default
        case (.colors256, .ansi), (.colors256, .indexed):
            return self
        case (.colors256, .rgb(let r, let g, let b)):
            return .indexed(UInt8(Color.nearest256(r, g, b)))
        case (.colors8, .ansi(let n)):
            return .ansi(n < 8 ? n : Color.nearest8(Color.ansiPalette[Int(n & 15)]))
        case (.colors8, _):
            guard let c = rgbComponents else { return .default }
            return .ansi(Color.nearest8((c.r, c.g, c.b)))
        }
    }

    static func distanceSquared(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }

    /// Nearest entry among the cube (16–231) and the grey ramp (232–255); the first 16 are skipped because
    /// terminals redefine them.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let target = (Int(r), Int(g), Int(b))
        func step(_ v: Int) -> Int {
            var best = 0
            for i in 1..<6 where abs(cubeSteps[i] - v) < abs(cubeSteps[best] - v) { best = i }
            return best
        }
        let (ri, gi, bi) = (step(target.0), step(target.1), step(target.2))
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let cubeDistance = distanceSquared(target, (cubeSteps[ri], cubeSteps[gi], cubeSteps[bi]))
        let average = (target.0 + target.1 + target.2) / 3
        let greyStep = max(0, min(23, (average - 8 + 5) / 10))
        let grey = 8 + greyStep * 10
        let greyDistance = distanceSquared(target, (grey, grey, grey))
        return greyDistance < cubeDistance ? 232 + greyStep : cubeIndex
    }

    /// Nearest of the 8 basic ANSI colours.
    static func nearest8(_ c: (UInt8, UInt8, UInt8)) -> UInt8 {
        let target = (Int(c.0), Int(c.1), Int(c.2))
        var best = 0
        var bestDistance = Int.max
        for i in 0..<8 {
            let p = ansiPalette[i]
            let d = distanceSquared(target, (Int(p.0), Int(p.1), Int(p.2)))
            if d < bestDistance { best = i; bestDistance = d }
        }
        return UInt8(best)
    }

    /// Linear interpolation between two colours in RGB (`t` = 0 gives `self`, 1 gives `other`).
    public func mixed(with other: Color, _ t: Float) -> Color {
        let a = rgbComponents ?? (0, 0, 0)
        let b = other.rgbComponents ?? (0, 0, 0)
        let tt = max(0, min(1, t.isFinite ? t : 0))
        func lerp(_ x: UInt8, _ y: UInt8) -> UInt8 {
            UInt8(max(0, min(255, (Float(x) + (Float(y) - Float(x)) * tt).rounded())))
        }
        return .rgb(lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b))
    }
}
