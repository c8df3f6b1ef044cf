/// Extended grapheme cluster boundaries (what Swift's `Character` and users call a character)
/// in a UTF-8 text, found lazily from the top down: truncating and chunking ask about the offsets
/// near a cut and walk backwards, so only the stretch they reach is segmented.
///
/// Offset 0 counts as a boundary (the text is taken to start on one). Segmenting resumes from a
/// place that is certainly a boundary, so the answers equal those for the whole text: right
/// after `\n` (rule GB4), or between two ASCII bytes other than `\r\n` (no rule joins two ASCII
/// characters: none is Extend, SpacingMark, ZWJ, Prepend, a regional indicator or pictographic).
/// - Complexity: O(n) over all questions about a text of n bytes.
struct GraphemeBoundaries {
    private let text: UnsafeBufferPointer<UInt8>
    /// `isBoundary[k - from]` for `from ≤ k ≤ top`.
    private var isBoundary: [Bool] = []
    /// The segmented stretch is `from...top`; `from` is certainly a boundary.
    private var from: Int
    private let top: Int

    /// Boundaries of `text`, for offsets up to `top` (at most `text.count`).
    init(_ text: UnsafeBufferPointer<UInt8>, upTo top: Int) {
        self.text = text
        self.top = min(top, text.count)
        self.from = self.top + 1
    }

    /// Whether `offset` (0...top) is a grapheme cluster boundary.
    mutating func contains(_ offset: Int) -> Bool {
        // At least doubling the stretch each time keeps the copying linear.
        if offset < from { extend(below: min(offset, from - max(64, top + 1 - from))) }
        return isBoundary[offset - from]
    }

    /// Whether a boundary is certain at `k` without looking further back.
    private func isCertain(_ k: Int) -> Bool {
        if k <= 0 || k >= text.count { return true }
        let before = text[k - 1], at = text[k]
        return before == 0x0A || (before < 0x80 && at < 0x80 && !(before == 0x0D && at == 0x0A))
    }

    /// Segments from a certain boundary at or below `offset` up to the stretch already known.
    private mutating func extend(below offset: Int) {
        var start = max(offset, 0)
        while !isCertain(start) { start -= 1 }
        // The stretch segmented: start..<end, with `end` a boundary already known (the old
        // `from`), or the text's end, or the character after `top` included to decide `top`.
        let oldFrom = from
        var end: Int
        if oldFrom <= top {
            end = oldFrom
        } else {
            end = top
            if end < text.count {
                end += 1
                while end < text.count, text[end] & 0xC0 == 0x80 { end += 1 }
            }
        }
        var marks = [Bool](repeating: false, count: top - start + 1)
        marks[0] = true
        let piece = String(decoding: UnsafeBufferPointer(rebasing: text[start..<end]), as: UTF8.self)
        var index = piece.startIndex
        while index < piece.endIndex {
            index = piece.index(after: index)
            let k = start + piece.utf8.distance(from: piece.startIndex, to: index)
            if k <= top { marks[k - start] = true }
        }
        if oldFrom <= top {
            for k in oldFrom...top { marks[k - start] = isBoundary[k - oldFrom] }
        } else if top == text.count {
            marks[top - start] = true
        }
        isBoundary = marks
        from = start
    }
}
