/// Pillow's resize of an 8-bit image with the bilinear filter (`ImagingResample` in Pillow's Resample.c), which
/// torchvision's `Resize` calls for PIL images: a triangle filter widened by the scale when shrinking
/// (antialiasing), weights in 22-bit fixed point, a horizontal pass rounded to 8 bits, then a vertical pass.
/// Only the output pixels inside a window are computed, so a crop of a very long resized image costs no more
/// than the crop.
enum BilinearResampling {
    /// Pillow's `PRECISION_BITS` for 8-bit images: 32 - 8 - 2.
    static let precisionBits = 22

    /// The input span and fixed-point weights of each output position of one axis.
    struct AxisWeights {
        /// For output `first + i`: the first input index and how many inputs it reads.
        var spans: [(start: Int, count: Int)] = []
        /// `maxTaps` weights per output position (unused ones are 0).
        var weights: [Int32] = []
        var maxTaps = 0

        /// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for `outputs` of an axis resized from
        /// `inputSize` to `outputSize` (the whole input box).
        init(inputSize: Int, outputSize: Int, outputs: Range<Int>) {
            let scale = Double(inputSize) / Double(outputSize)
            let filterScale = max(scale, 1.0)
            let support = 1.0 * filterScale  // the bilinear filter's support is 1
            maxTaps = Int(support.rounded(.up)) * 2 + 1
            spans.reserveCapacity(outputs.count)
            weights = [Int32](repeating: 0, count: outputs.count * maxTaps)
            var taps = [Double](repeating: 0, count: maxTaps)
            for (slot, output) in outputs.enumerated() {
                let center = (Double(output) + 0.5) * scale
                let inverseScale = 1.0 / filterScale
                // C's (int) cast truncates towards zero; Swift's Int(_:) does the same.
                let start = max(Int(center - support + 0.5), 0)
                let count = min(Int(center + support + 0.5), inputSize) - start
                var total = 0.0
                for x in 0..<count {
                    let w = triangle((Double(x + start) - center + 0.5) * inverseScale)
                    taps[x] = w
                    total += w
                }
                for x in 0..<count {
                    let normalised = total != 0 ? taps[x] / total : taps[x]
                    let fixed = normalised < 0 ? -0.5 + normalised * Double(1 << precisionBits)
                        : 0.5 + normalised * Double(1 << precisionBits)
                    weights[slot * maxTaps + x] = Int32(fixed)
                }
                spans.append((start, count))
            }
        }

        private func triangle(_ x: Double) -> Double {
            let distance = abs(x)
            return distance < 1 ? 1 - distance : 0
        }
    }

    /// Pillow's `clip8`: drops the fraction bits (an arithmetic shift, so negatives floor) and clamps to 0…255.
    @inline(__always)
    static func clip8(_ sum: Int) -> UInt8 {
        UInt8(clamping: sum >> precisionBits)
    }

    /// The window `columns` × `rows` of `image` resized to `width` × `height`, as RGB8 rows.
    static func resize(_ image: DecodedImage, width: Int, height: Int, columns: Range<Int>, rows: Range<Int>)
        -> [UInt8]
    {
        precondition(columns.lowerBound >= 0 && columns.upperBound <= width
                     && rows.lowerBound >= 0 && rows.upperBound <= height, "window outside the resized image")
        let resizeColumns = width != image.width
        let resizeRows = height != image.height
        let vertical = resizeRows ? AxisWeights(inputSize: image.height, outputSize: height, outputs: rows) : nil
        // The input rows the vertical pass reads (or the window's own rows when there is no vertical pass).
        let firstRow = vertical?.spans.map(\.start).min() ?? rows.lowerBound
        let endRow = vertical?.spans.map { $0.start + $0.count }.max() ?? rows.upperBound
        let windowWidth = columns.count

        // Horizontal pass over the rows needed, rounded to 8 bits as Pillow stores its intermediate image.
        var intermediate = [UInt8](repeating: 0, count: (endRow - firstRow) * windowWidth * 3)
        image.rgb.withUnsafeBufferPointer { source in
            intermediate.withUnsafeMutableBufferPointer { target in
                guard resizeColumns else {
                    for y in firstRow..<endRow {
                        let from = (y * image.width + columns.lowerBound) * 3
                        let to = (y - firstRow) * windowWidth * 3
                        for i in 0..<windowWidth * 3 { target[to + i] = source[from + i] }
                    }
                    return
                }
                let horizontal = AxisWeights(inputSize: image.width, outputSize: width, outputs: columns)
                let half = 1 << (precisionBits - 1)
                for y in firstRow..<endRow {
                    let sourceRow = y * image.width * 3
                    let targetRow = (y - firstRow) * windowWidth * 3
                    for slot in 0..<windowWidth {
                        let span = horizontal.spans[slot]
                        let taps = slot * horizontal.maxTaps
                        var r = half, g = half, b = half
                        for x in 0..<span.count {
                            let w = Int(horizontal.weights[taps + x])
                            let p = sourceRow + (span.start + x) * 3
                            r += Int(source[p]) * w
                            g += Int(source[p + 1]) * w
                            b += Int(source[p + 2]) * w
                        }
                        let q = targetRow + slot * 3
                        target[q] = clip8(r)
                        target[q + 1] = clip8(g)
                        target[q + 2] = clip8(b)
                    }
                }
            }
        }
        guard let vertical else { return intermediate }

        // Vertical pass over the intermediate rows.
        var output = [UInt8](repeating: 0, count: rows.count * windowWidth * 3)
        intermediate.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                let half = 1 << (precisionBits - 1)
                let rowLength = windowWidth * 3
                for slot in 0..<rows.count {
                    let span = vertical.spans[slot]
                    let taps = slot * vertical.maxTaps
                    let targetRow = slot * rowLength
                    for i in 0..<rowLength {
                        var sum = half
                        for y in 0..<span.count {
                            sum += Int(source[(span.start - firstRow + y) * rowLength + i])
                                * Int(vertical.weights[taps + y])
                        }
                        target[targetRow + i] = clip8(sum)
                    }
                }
            }
        }
        return output
    }
}
