/// How far the help overlay is scrolled, within the limit and page size the renderer last reported (the limit is
/// 0 when every line fits).
struct HelpScroll {
    /// The first line shown.
    private(set) var offset = 0
    /// The largest useful offset.
    private(set) var limit = 0
    /// Lines shown at once.
    private(set) var pageLines = 1

    /// The renderer reports how many lines are hidden at most and how many show at once; the offset is clamped.
    mutating func setViewport(scrollLimit: Int, pageLines: Int) {
        limit = max(0, scrollLimit)
        self.pageLines = max(1, pageLines)
        offset = min(offset, limit)
    }

    /// Scrolls by `lines` (negative: up), within 0…limit.
    mutating func scroll(by lines: Int) {
        offset = min(max(offset + lines, 0), limit)
    }

    /// Back to the first line (the help opens at the top).
    mutating func reset() { offset = 0 }
}
