/// One attention module's pattern for the detail pane: one head (or the mean over heads) of one text, rows
/// the query tokens and columns the key tokens.
public struct AttentionViewModel: Equatable, Sendable {
    /// The attention module's path.
    public var path: String
    /// The head shown, from 0; nil for the mean over heads.
    public var head: Int?
    /// Heads of the module.
    public var headCount: Int
    /// The query tokens (rows), as shown.
    public var queryTokens: [String]
    /// The key tokens (columns), as shown.
    public var keyTokens: [String]
    /// The probabilities, `queryTokens.count` rows of `keyTokens.count`.
    public var values: [[Float]]
    /// Texts in the batch.
    public var textCount: Int
    /// The text of the batch shown (from 0).
    public var sample: Int = 0
    /// The cursor (query row, key column), moved with the arrows when the detail pane has the focus.
    public var cursor: GridPoint = GridPoint(row: 0, col: 0)

    /// The probability under the cursor.
    public var cursorValue: Float? {
        values.indices.contains(cursor.row) && values[cursor.row].indices.contains(cursor.col)
            ? values[cursor.row][cursor.col] : nil
    }

    /// `head 1 of 12`, or `mean of 12 heads`.
    public var title: String {
        head.map { "head \($0 + 1) of \(headCount)" } ?? "mean of \(headCount) heads"
    }

    /// The strongest query → key pair, for the line under the pattern.
    public var strongest: (query: Int, key: Int, value: Float)? {
        var best: (Int, Int, Float)?
        for (q, row) in values.enumerated() {
            for (k, v) in row.enumerated() where best == nil || v > best!.2 { best = (q, k, v) }
        }
        return best
    }
}
