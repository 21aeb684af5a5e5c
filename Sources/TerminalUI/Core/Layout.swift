/// How much of a split one part takes.
public enum LayoutConstraint: Hashable, Sendable {
    /// Exactly this many cells (or what is left, if less).
    case fixed(Int)
    /// This percentage of the whole length.
    case percent(Int)
    /// An equal share of what the fixed and percentage parts leave.
    case fill
}

extension Rect {
    /// Splits the rectangle into columns side by side (widths from `constraints`, left to right).
    public func splitHorizontally(_ constraints: [LayoutConstraint]) -> [Rect] {
        Rect.lengths(width, constraints).reduce(into: (rects: [Rect](), offset: x)) { acc, length in
            acc.rects.append(Rect(x: acc.offset, y: y, width: length, height: height))
            acc.offset += length
        }.rects
    }

    /// Splits the rectangle into rows stacked top to bottom (heights from `constraints`).
    public func splitVertically(_ constraints: [LayoutConstraint]) -> [Rect] {
        Rect.lengths(height, constraints).reduce(into: (rects: [Rect](), offset: y)) { acc, length in
            acc.rects.append(Rect(x: x, y: acc.offset, width: width, height: length))
            acc.offset += length
        }.rects
    }

    /// Lengths that never exceed `total`: fixed and percentage parts first (in order, each clipped to what is
    /// left), then `.fill` parts share the rest equally (the first ones get the remainder).
    static func lengths(_ total: Int, _ constraints: [LayoutConstraint]) -> [Int] {
        var remaining = max(0, total)
        var result = [Int](repeating: 0, count: constraints.count)
        for (i, c) in constraints.enumerated() {
            let wanted: Int
            switch c {
            case .fixed(let n): wanted = max(0, n)
            case .percent(let p): wanted = max(0, total * min(max(p, 0), 100) / 100)
            case .fill: continue
            }
            result[i] = min(wanted, remaining)
            remaining -= result[i]
        }
        let fills = constraints.indices.filter { constraints[$0] == .fill }
        if !fills.isEmpty {
            let share = remaining / fills.count
            var extra = remaining % fills.count
            for i in fills {
                result[i] = share + (extra > 0 ? 1 : 0)
                extra -= 1
            }
        }
        return result
    }
}
