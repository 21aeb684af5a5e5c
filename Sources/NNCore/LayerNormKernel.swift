/// LayerNorm's per-row loops over eight lanes (`layerNorm` in Tensor+NeuralOps).
///
/// Each row is a few hundred floats: the former scalar loops, which summed in Double, were a chain of dependent
/// additions per element, several percent of a BERT or GPT-2 forward. Here eight lane sums run side by side in
/// float and are added in Double at the end; the variance is still the two-pass Σ(x − mean)², so accuracy stays
/// far inside PyTorch's tolerances.
enum LayerNormKernel {
    typealias Vector = SIMD8<Float>

    /// The lanes of `v` summed in Double.
    @inline(__always)
    static func total(_ v: Vector) -> Double {
        (Double(v[0]) + Double(v[1]) + Double(v[2]) + Double(v[3]))
            + (Double(v[4]) + Double(v[5]) + Double(v[6]) + Double(v[7]))
    }

    /// Normalises one row of `width` floats: x̂ into `normalized`, x̂·w + b into `output` (w, b optional);
    /// returns 1/σ.
    @inline(__always)
    static func forwardRow(_ x: UnsafePointer<Float>, normalized: UnsafeMutablePointer<Float>,
                           output: UnsafeMutablePointer<Float>, width: Int, weight: UnsafePointer<Float>?,
                           bias: UnsafePointer<Float>?, eps: Float) -> Float {
        let raw = UnsafeRawPointer(x)
        let vectorEnd = width & ~7
        var sum = Vector()
        var j = 0
        while j < vectorEnd {
            sum += raw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self)
            j &+= 8
        }
        var meanD = total(sum)
        while j < width { meanD += Double(x[j]); j &+= 1 }
        meanD /= Double(width)
        let mean = Float(meanD)
        let meanV = Vector(repeating: mean)
        var squares = Vector()
        j = 0
        while j < vectorEnd {
            let d = raw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self) - meanV
            squares += d * d
            j &+= 8
        }
        var variance = total(squares)
        while j < width { let d = Double(x[j] - mean); variance += d * d; j &+= 1 }
        variance /= Double(width)
        let rstd = Float(1 / (variance + Double(eps)).squareRoot())
        let rstdV = Vector(repeating: rstd)
        let hatRaw = UnsafeMutableRawPointer(normalized), outRaw = UnsafeMutableRawPointer(output)
        j = 0
        while j < vectorEnd {
            let h = (raw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self) - meanV) * rstdV
            hatRaw.storeBytes(of: h, toByteOffset: j &* 4, as: Vector.self)
            var y = h
            if let weight { y = y * UnsafeRawPointer(weight).loadUnaligned(fromByteOffset: j &* 4, as: Vector.self) }
            if let bias { y = y + UnsafeRawPointer(bias).loadUnaligned(fromByteOffset: j &* 4, as: Vector.self) }
            outRaw.storeBytes(of: y, toByteOffset: j &* 4, as: Vector.self)
            j &+= 8
        }
        while j < width {
            let h = (x[j] - mean) * rstd
            normalized[j] = h
            var y = h
            if let weight { y = y * weight[j] }
            if let bias { y = y + bias[j] }
            output[j] = y
            j &+= 1
        }
        return rstd
    }

    /// dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = g·w, for one row.
    @inline(__always)
    static func inputGradientRow(_ g: UnsafePointer<Float>, normalized h: UnsafePointer<Float>,
                                 weight: UnsafePointer<Float>?, rstd: Float, width: Int,
                                 into dx: UnsafeMutablePointer<Float>) {
        let gRaw = UnsafeRawPointer(g), hRaw = UnsafeRawPointer(h)
        let vectorEnd = width & ~7
        var sumD = Vector(), sumDH = Vector()
        var j = 0
        while j < vectorEnd {
            var dh = gRaw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self)
            if let weight { dh = dh * UnsafeRawPointer(weight).loadUnaligned(fromByteOffset: j &* 4, as: Vector.self) }
            sumD += dh
            sumDH += dh * hRaw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self)
            j &+= 8
        }
        var meanD = total(sumD), meanDH = total(sumDH)
        while j < width {
            let dh = g[j] * (weight?[j] ?? 1)
            meanD += Double(dh)
            meanDH += Double(dh) * Double(h[j])
            j &+= 1
        }
        let md = Float(meanD / Double(width)), mdh = Float(meanDH / Double(width))
        let mdV = Vector(repeating: md), mdhV = Vector(repeating: mdh), rstdV = Vector(repeating: rstd)
        let dxRaw = UnsafeMutableRawPointer(dx)
        j = 0
        while j < vectorEnd {
            var dh = gRaw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self)
            if let weight { dh = dh * UnsafeRawPointer(weight).loadUnaligned(fromByteOffset: j &* 4, as: Vector.self) }
            let hv = hRaw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self)
            dxRaw.storeBytes(of: rstdV * (dh - mdV - hv * mdhV), toByteOffset: j &* 4, as: Vector.self)
            j &+= 8
        }
        while j < width {
            let dh = g[j] * (weight?[j] ?? 1)
            dx[j] = rstd * (dh - md - h[j] * mdh)
            j &+= 1
        }
    }

    /// dw += g·x̂ and db += g over one row.
    @inline(__always)
    static func parameterGradientRow(_ g: UnsafePointer<Float>, normalized h: UnsafePointer<Float>, width: Int,
                                     weightGradient dw: UnsafeMutablePointer<Float>,
                                     biasGradient db: UnsafeMutablePointer<Float>) {
        let gRaw = UnsafeRawPointer(g), hRaw = UnsafeRawPointer(h)
        let dwRaw = UnsafeMutableRawPointer(dw), dbRaw = UnsafeMutableRawPointer(db)
        let vectorEnd = width & ~7
        var j = 0
        while j < vectorEnd {
            let gv = gRaw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self)
            let hv = hRaw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self)
            dwRaw.storeBytes(of: dwRaw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self) + gv * hv,
                             toByteOffset: j &* 4, as: Vector.self)
            dbRaw.storeBytes(of: dbRaw.loadUnaligned(fromByteOffset: j &* 4, as: Vector.self) + gv,
                             toByteOffset: j &* 4, as: Vector.self)
            j &+= 8
        }
        while j < width {
            dw[j] += g[j] * h[j]
            db[j] += g[j]
            j &+= 1
        }
    }
}
