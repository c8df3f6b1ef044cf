/// Where a text may be cut so that its parts encode independently: the rule that parallel
/// encoding, file counting and token budgets stand on. It is a property of the built-in patterns,
/// so it lives beside them; a custom pattern has no safe cuts.
///
/// ## Definitions
/// A character is *visible* when it is a well-formed UTF-8 scalar that is not white space (`\s`,
/// the scanners' White_Space class): letters, marks, digits, punctuation, symbols and control
/// characters of any script. An *indent* is a run of spaces and tabs.
///
/// A *safe cut* is the offset right after a `\n` that follows a visible character `x` and
/// precedes either
/// 1. a visible character `Y` other than `/` (`…x\nY…`: `…);\n}…`, `…。\nДа…`), or
/// 2. an indent and then a visible character (`…,\n    "key"…`), for every built-in pattern
///    but r50k's (`Scanner.cutsBeforeIndents`).
///
/// ## Invariant
/// Encoding the parts of a text cut at safe cuts separately and concatenating the ids gives
/// exactly the ids of the whole.
///
/// Why, for every built-in pattern. `x` is not white space, so the piece holding `x` ends at `x`
/// (letters, marks and contractions, digits) or, after punctuation and symbols, goes on only
/// through `[\r\n/]*` (o200k, Tekken) or `[\r\n]*` (cl100k, Llama 3, Qwen; r50k takes no
/// newline): it takes the `\n` and stops, as what follows is neither `\r`, `\n` nor (case 1) `/`.
/// A piece starting at the `\n` is taken by a white-space alternative (the optional one-character
/// prefixes before letters and punctuation exclude `\n`): in case 1 it is the `\n` alone, whether
/// the text ends after it or not (o200k, Tekken, Llama 3 and Qwen `\s*[\r\n]+`; cl100k
/// `\s*[\r\n]` before `Y`, `\s++$` at the end; r50k `\s` before `Y`, `\s++$` at the end). In case
/// 2, `\s*[\r\n]+` (and cl100k's `\s*[\r\n]`) backtracks to the `\n` alone, as the indent holds no
/// other newline; r50k's `\s+(?!\S)` would take the `\n` and all but the last of the indent, so r50k
/// has only case 1. So the whole text has a piece boundary at the cut, and the pieces before it
/// are those of the text cut there. The patterns have no look-behind, so the pieces after the
/// cut depend only on the text after it. Special tokens contain no `\n`. NFC (Qwen) neither
/// composes nor reorders across the `\n`, a starter no character composes with.
///
/// `ParallelTests` check the rule on generated and fixture text with cuts at every allowed place,
/// on every pair of visible ASCII characters around a `\n`, on characters of many scripts and
/// classes on both sides, and on indents.
extension PreTokenizer {
    /// Whether the pattern is a built-in one, whose safe cuts are proved above (DeepSeek's
    /// pipeline, a tokenizer.json's with added tokens of its own, is left without).
    var hasSafeCuts: Bool { scanner != nil && scanner != .deepseek }

    /// Whether `text` may be cut before offset `i`: a safe cut (see above).
    /// - Complexity: O(1), or the length of the indent after `i`.
    @inline(__always)
    func isSafeCut(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i >= 2, i < text.count, text[i - 1] == 0x0A, let scanner else { return false }
        let next = text[i]
        if next == 0x20 || next == 0x09 {  // an indent (a `/` may follow it)
            guard scanner.cutsBeforeIndents else { return false }
            var j = i + 1
            while j < text.count, text[j] == 0x20 || text[j] == 0x09 { j += 1 }
            guard j < text.count, PreTokenizer.isVisible(text, at: j) else { return false }
        } else if next == 0x2F || !PreTokenizer.isVisible(text, at: i) {
            return false
        }
        return PreTokenizer.endsVisible(text, at: i - 1)
    }

    /// Whether a visible character starts at `i`.
    @inline(__always)
    static func isVisible(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard let scalar = UTF8Validation.scalar(text, at: i) else { return false }
        return CharacterClasses.shared[scalar.value] & CharacterClasses.space == 0
    }

    /// Whether a visible character ends right before `end`.
    @inline(__always)
    static func endsVisible(_ text: UnsafeBufferPointer<UInt8>, at end: Int) -> Bool {
        var start = end - 1
        while start > 0, end - start < 4, text[start] & 0xC0 == 0x80 { start -= 1 }
        guard let scalar = UTF8Validation.scalar(text, at: start), start + scalar.width == end else { return false }
        return CharacterClasses.shared[scalar.value] & CharacterClasses.space == 0
    }

    /// Safe cuts of `text`, each the first at or after `spacing` bytes past the previous one (or
    /// the start).
    /// - Complexity: O(n).
    func safeCuts(_ text: UnsafeBufferPointer<UInt8>, every spacing: Int) -> [Int] {
        guard hasSafeCuts, text.count > spacing else { return [] }
        var cuts = [Int]()
        var i = max(2, spacing)
        while i < text.count {
            if text[i - 1] == 0x0A && isSafeCut(text, i) {
                cuts.append(i)
                i += spacing
            } else {
                i += 1
            }
        }
        return cuts
    }

    /// The last safe cut in `text[from..<text.count]`, or nil.
    /// - Complexity: O(n).
    func lastSafeCut(_ text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard hasSafeCuts else { return nil }
        var i = text.count - 1
        while i >= max(2, from) {
            if text[i - 1] == 0x0A && isSafeCut(text, i) { return i }
            i -= 1
        }
        return nil
    }
}
