/// Where a text may be cut so that its parts encode independently: the rule that parallel
/// encoding, file counting and token budgets stand on. It is a property of the built-in patterns,
/// so it lives beside them; a custom pattern has no safe cuts.
extension PreTokenizer {
    /// Whether the pattern is a built-in one, whose safe cuts are proved below.
    var hasSafeCuts: Bool { scanner != nil }

    /// Whether `text` may be cut before offset `i` (see `safeCuts`): `text[i - 1]` is `\n`, and
    /// both `text[i - 2]` and `text[i]` are visible ASCII characters (`!` to `~`), `text[i]` not `/`.
    @inline(__always)
    static func isSafeCut(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let before = text[i - 2], next = text[i]
        return text[i - 1] == 0x0A && before > 0x20 && before < 0x7F && next > 0x20 && next < 0x7F && next != 0x2F
    }

    /// Byte offsets where `text` may be cut so that encoding the parts separately and concatenating
    /// the ids gives exactly the ids of the whole: after a `\n` that follows a visible ASCII
    /// character and precedes one other than `/` (`…x\nY…`, `…);\n}…`, `…>\n<…`).
    ///
    /// Why this is safe for every built-in pattern. The character `x` before the `\n` is not
    /// whitespace, so the piece holding `x` either ends at `x` or, after punctuation, goes on only
    /// through `[\r\n/]*` (o200k, Tekken) or `[\r\n]*` (cl100k, Llama 3, Qwen). No alternative takes a `\n` and then a
    /// visible character other than `/` (the optional one-character prefixes before letters or
    /// punctuation exclude `\n`; the other alternatives that take `\n` take only whitespace), so,
    /// `Y` being neither whitespace nor `/`, the piece holding the `\n` ends with it: the whole
    /// text has a piece boundary there. That piece is the same whether the text ends after the
    /// `\n` or goes on: taken with the punctuation either way, or alone (o200k, Tekken, Llama 3 and
    /// Qwen `\s*[\r\n]+` either way; cl100k `\s*[\r\n]` before `Y`, `\s++$` at the end; r50k `\s`
    /// before `Y`, `\s++$` at the end). The patterns have no look-behind, so the pieces after the
    /// cut depend only on the text after it. Special tokens contain no `\n`. NFC (Qwen) neither
    /// composes nor reorders across the `\n` and the ASCII `Y`, which are starters. `ParallelTests` check the rule on generated
    /// and fixture text with cuts at every allowed place, and on every pair of visible ASCII
    /// characters around a `\n`. Custom patterns are never cut.
    /// - Complexity: O(n).
    func safeCuts(_ text: UnsafeBufferPointer<UInt8>, every spacing: Int) -> [Int] {
        guard hasSafeCuts, text.count > spacing else { return [] }
        var cuts = [Int]()
        var next = spacing
        var i = max(2, next)
        while i < text.count {
            if PreTokenizer.isSafeCut(text, i) {
                cuts.append(i)
                next = i + spacing
                i = next
            } else {
                i += 1
            }
        }
        return cuts
    }

    /// The last safe cut (see `safeCuts`) in `text[from..<text.count]`, or nil.
    func lastSafeCut(_ text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard hasSafeCuts else { return nil }
        var i = text.count - 1
        while i >= max(2, from) {
            if PreTokenizer.isSafeCut(text, i) { return i }
            i -= 1
        }
        return nil
    }
}
