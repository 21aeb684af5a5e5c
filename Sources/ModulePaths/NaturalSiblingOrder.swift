/// The order in which a tree shows the children of one folder of a weights file: the file's own order, except that
/// names differing only in a trailing number (`9` and `10`, `proj9` and `proj23`, `conv_2` and `conv_10`) take
/// the places their group holds in numeric order, so `10` comes after `9` and not after `1`. Other names keep
/// their places (a module's `weight` before its `bias`, as the file has them).
public enum NaturalSiblingOrder {
    /// The positions of `names` in display order (a permutation of `names.indices`).
    public static func order(_ names: [String]) -> [Int] {
        var groups: [Substring: [Int]] = [:]
        var numbers = [Int](repeating: 0, count: names.count)
        for (position, name) in names.enumerated() {
            guard let (prefix, number) = trailingNumber(name) else { continue }
            groups[prefix, default: []].append(position)
            numbers[position] = number
        }
        var result = Array(names.indices)
        for positions in groups.values where positions.count > 1 {
            // Equal numbers (`01` and `1`) keep the file's order.
            let sorted = positions.sorted { numbers[$0] != numbers[$1] ? numbers[$0] < numbers[$1] : $0 < $1 }
            for (slot, position) in zip(positions, sorted) { result[slot] = position }
        }
        return result
    }

    /// `("proj", 23)` for `"proj23"`, `("", 10)` for `"10"`; nil without trailing ASCII digits or when they
    /// don't fit in an Int.
    static func trailingNumber(_ name: String) -> (prefix: Substring, number: Int)? {
        let utf8 = name.utf8
        var start = utf8.endIndex
        while start > utf8.startIndex {
            let before = utf8.index(before: start)
            guard utf8[before] >= UInt8(ascii: "0") && utf8[before] <= UInt8(ascii: "9") else { break }
            start = before
        }
        guard start < utf8.endIndex, let number = Int(name[start...]) else { return nil }
        return (name[..<start], number)
    }
}
