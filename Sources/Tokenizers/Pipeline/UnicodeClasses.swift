/// The character classes the tokenizers library tests, on Unicode scalars.
///
/// The library mixes Unicode versions (BERT's tests come from an old unicode_categories table, GPT-2's split pattern
/// from Oniguruma's), so the classes are looked up in `UnicodeTables`, measured from the library itself, rather than
/// taken from Swift's newer Unicode properties. ASCII is answered without a search.
enum UnicodeClasses {
    /// `\s` of GPT-2's split pattern.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || (0x09 ... 0x0D).contains(scalar.value) }
        return contains(UnicodeTables.whitespace, scalar)
    }

    /// `\p{L}` of GPT-2's split pattern.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (0x41 ... 0x5A).contains(scalar.value) || (0x61 ... 0x7A).contains(scalar.value) }
        return contains(UnicodeTables.letter, scalar)
    }

    /// `\p{N}` of GPT-2's split pattern.
    static func isNumber(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (0x30 ... 0x39).contains(scalar.value) }
        return contains(UnicodeTables.number, scalar)
    }

    /// The regex `\w` in Unicode mode (Alphabetic, marks, decimal digits, connector punctuation, Join_Control), used
    /// for an added token's `single_word` boundaries.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// Removed by BERT's `clean_text`: NUL, U+FFFD and the control, format and private-use characters.
    static func isBertRemoved(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F
        }
        return contains(UnicodeTables.bertRemoved, scalar)
    }

    /// Rust's `char::is_whitespace` (White_Space): BERT maps these to a space and splits words on them; Strip,
    /// WhitespaceSplit and added tokens' lstrip/rstrip use it too.
    static func isRustWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || (0x09 ... 0x0D).contains(scalar.value) }
        return contains(UnicodeTables.bertWhitespace, scalar)
    }

    /// BERT's punctuation, each character split off alone: ASCII punctuation (which includes `$`, `+`, `^`, …) and
    /// the Unicode P* categories.
    static func isBertPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            switch scalar.value {
            case 33 ... 47, 58 ... 64, 91 ... 96, 123 ... 126: return true
            default: return false
            }
        }
        return contains(UnicodeTables.bertPunctuation, scalar)
    }

    /// The CJK ideograph blocks BERT surrounds with spaces (`handle_chinese_chars`), as the library lists them.
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00 ... 0x9FFF, 0x3400 ... 0x4DBF, 0x20000 ... 0x2A6DF, 0x2A700 ... 0x2B73F, 0x2B740 ... 0x2B81F,
             0x2B920 ... 0x2CEAF, 0xF900 ... 0xFAFF, 0x2F800 ... 0x2FA1F:
            return true
        default: return false
        }
    }

    /// The marks `strip_accents` drops after NFD.
    static func isBertNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return false }
        return contains(UnicodeTables.bertNonspacingMark, scalar)
    }

    /// Binary search in flat (first, last) pairs.
    private static func contains(_ pairs: [UInt32], _ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var low = 0
        var high = pairs.count / 2
        while low < high {
            let middle = (low + high) / 2
            if pairs[2 * middle + 1] < value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < pairs.count / 2 && pairs[2 * low] <= value
    }
}
