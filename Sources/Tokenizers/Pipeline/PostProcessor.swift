/// A tokenizer.json `post_processor` for one text: the special tokens around the sequence.
struct PostProcessor: Sendable {
    enum Piece: Sendable {
        case sequence
        case special([Int])
    }

    /// The single-text template, e.g. `[CLS] $A [SEP]`; `[.sequence]` adds nothing.
    let template: [Piece]

    static let identity = PostProcessor(template: [.sequence])

    func apply(_ ids: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(ids.count + template.count)
        for piece in template {
            switch piece {
            case .sequence: result.append(contentsOf: ids)
            case .special(let special): result.append(contentsOf: special)
            }
        }
        return result
    }
}
