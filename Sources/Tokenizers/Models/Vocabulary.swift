/// Tokens and their ids, looked up by the tokens' UTF-8 bytes.
///
/// Never keyed by `String`: Swift's `String ==` compares up to canonical equivalence, so a `[String: Int]` would
/// merge "é" (U+00E9) and "é" (U+0065 U+0301), two different tokens with two different ids in real vocabularies.
struct Vocabulary: Sendable {
    /// The token of each id; nil where no token has that id.
    private(set) var tokensByID: [String?] = []
    private var idsByBytes: [[UInt8]: Int] = [:]

    /// One more than the highest id.
    var idLimit: Int { tokensByID.count }

    func id(forBytes bytes: [UInt8]) -> Int? { idsByBytes[bytes] }

    func id(for token: String) -> Int? { idsByBytes[Array(token.utf8)] }

    func id<S: Sequence<Unicode.Scalar>>(forScalars scalars: S) -> Int? {
        var bytes: [UInt8] = []
        for scalar in scalars { bytes.append(contentsOf: String(scalar).utf8) }
        return idsByBytes[bytes]
    }

    func token(for id: Int) -> String? {
        id >= 0 && id < tokensByID.count ? tokensByID[id] : nil
    }

    func contains(id: Int) -> Bool { token(for: id) != nil }

    /// Builds a vocabulary from (token, id) entries; `problem` names an entry that cannot be used.
    /// Ids must be below `idLimit` (checked before anything is allocated from them); a token listed twice or two
    /// tokens sharing an id is an error.
    init(entries: [(token: String, id: Int)], idLimit: Int,
         problem: (_ entryIndex: Int, _ message: String) -> TokenizerError) throws(TokenizerError) {
        var highest = -1
        for (index, entry) in entries.enumerated() {
            guard entry.id >= 0, entry.id < idLimit else {
                throw problem(index, "id \(entry.id) is outside 0..<\(idLimit)")
            }
            highest = max(highest, entry.id)
        }
        tokensByID = Array(repeating: nil, count: highest + 1)
        idsByBytes.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            let bytes = Array(entry.token.utf8)
            if let existing = idsByBytes[bytes] {
                throw problem(index, "token \(JSONField.quoted(entry.token)) is listed twice (ids \(existing) and \(entry.id))")
            }
            if let other = tokensByID[entry.id] {
                throw problem(index, "id \(entry.id) is given to both \(JSONField.quoted(other)) and \(JSONField.quoted(entry.token))")
            }
            idsByBytes[bytes] = entry.id
            tokensByID[entry.id] = entry.token
        }
    }

    init() {}

    /// Makes `token` spell `id` and `id` the id of `token` (an added token overrides the model's entry for its id;
    /// the model's old spelling still finds the id).
    mutating func setAdded(_ token: String, id: Int) {
        if id >= tokensByID.count { tokensByID.append(contentsOf: repeatElement(nil, count: id + 1 - tokensByID.count)) }
        tokensByID[id] = token
        idsByBytes[Array(token.utf8)] = id
    }
}
