/// GPT-2's reversible map from bytes to printable Unicode scalars: the printable Latin-1 bytes (`!`…`~`, `¡`…`¬`,
/// `®`…`ÿ`) stand for themselves, the other 68 bytes take U+0100, U+0101, … in byte order (so a space is `Ġ`,
/// U+0120, and a newline `Ċ`).
enum ByteLevelAlphabet {
    /// The scalar standing for each byte.
    static let scalarForByte: [Unicode.Scalar] = {
        var table: [Unicode.Scalar] = []
        var next: UInt32 = 256
        for byte in 0 ..< 256 {
            if (33 ... 126).contains(byte) || (161 ... 172).contains(byte) || (174 ... 255).contains(byte) {
                table.append(Unicode.Scalar(UInt32(byte))!)
            } else {
                table.append(Unicode.Scalar(next)!)
                next += 1
            }
        }
        return table
    }()

    /// The byte a scalar of the alphabet stands for; nil for a scalar outside it.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 256, scalarForByte[Int(value)] == scalar { return UInt8(value) }
        if (256 ..< 256 + 68).contains(value) { return byteForExtraScalar[Int(value - 256)] }
        return nil
    }

    private static let byteForExtraScalar: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 68)
        for (byte, scalar) in scalarForByte.enumerated() where scalar.value >= 256 {
            table[Int(scalar.value - 256)] = UInt8(byte)
        }
        return table
    }()

    /// The UTF-8 bytes of `text`, each written as its scalar.
    static func encode<S: Sequence<Unicode.Scalar>>(_ text: S) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in text {
            for byte in String(scalar).utf8 { result.append(scalarForByte[Int(byte)]) }
        }
        return result
    }
}
