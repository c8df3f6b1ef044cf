import PCRE2

/// Hugging Face pre-tokenizers (`Split`, `ByteLevel`, `Digits`, `Sequence`) as steps that each cut
/// the pieces of the step before, never across them: so a look-ahead in one step stops at the end
/// of the piece it runs in, and a Sequence of Splits can give what no single regex does.
extension PreTokenizer {
    /// What a `Split` keeps of the pieces its pattern makes (Hugging Face's `SplitDelimiterBehavior`).
    public enum SplitBehavior: String, Sendable, CaseIterable {
        /// Matches are dropped; the text between them stays.
        case removed = "Removed"
        /// Matches and the text between them are pieces of their own.
        case isolated = "Isolated"
        /// A match joins the piece before it (unless that piece was a match too).
        case mergedWithPrevious = "MergedWithPrevious"
        /// A match joins the piece after it (unless that piece was a match too).
        case mergedWithNext = "MergedWithNext"
        /// Runs of matches, and runs of non-matches, are pieces.
        case contiguous = "Contiguous"
    }

    /// One step of a pipeline.
    public struct Step: Sendable {
        /// The splitter whose pieces are the pattern's matches; nil: the piece stays whole.
        let matches: PreTokenizer?
        /// `ByteLevel`'s `add_prefix_space`: a piece that does not start with a space is cut as if
        /// it did (the space is not in the text; the piece's first token holds it).
        let addPrefixSpace: Bool
        let behavior: SplitBehavior
        /// The text between matches is what the behavior treats as the matches.
        let invert: Bool

        /// `Split` with a regex: its matches, treated by `behavior`.
        public init(split pattern: String, behavior: SplitBehavior, invert: Bool = false) throws(RegexError) {
            matches = try PreTokenizer(pattern: pattern)
            self.behavior = behavior
            self.invert = invert
            addPrefixSpace = false
        }

        /// `ByteLevel`: GPT-2's regex (each match a piece) when `useRegex`, after a space put before
        /// each piece that does not start with one when `addPrefixSpace`.
        public static func byteLevel(useRegex: Bool = true, addPrefixSpace: Bool = false) throws(RegexError) -> Step {
            Step(matches: useRegex ? try PreTokenizer(pattern: byteLevelPattern) : nil, behavior: .isolated, invert: false,
                 addPrefixSpace: addPrefixSpace)
        }

        private init(matches: PreTokenizer?, behavior: SplitBehavior, invert: Bool, addPrefixSpace: Bool) {
            self.matches = matches
            self.behavior = behavior
            self.invert = invert
            self.addPrefixSpace = addPrefixSpace
        }

        /// The pieces of `piece` (a range of `text`) with a space before it: ranges of `text`,
        /// the first one flagged as holding the space (it may be empty: the space alone).
        func cutWithPrefixSpace(_ text: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>,
                                into out: inout [(range: Range<Int>, prefixSpace: Bool)]) throws {
            guard let matches else { return out.append((piece, true)) }
            let spaced = [0x20] + text[piece]
            try spaced.withUnsafeBufferPointer { buffer in
                try matches.forEachPiece(in: buffer) { part in
                    let lower = part.lowerBound == 0 ? piece.lowerBound : piece.lowerBound + part.lowerBound - 1
                    out.append((lower..<(piece.lowerBound + part.upperBound - 1), part.lowerBound == 0))
                }
            }
        }

        /// `Digits`: each number scalar a piece (`individual`), or runs of them.
        public static func digits(individual: Bool) throws(RegexError) -> Step {
            try Step(split: individual ? #"\p{N}"# : #"\p{N}+"#, behavior: .isolated)
        }

        /// Hugging Face's `ByteLevel` regex (GPT-2's, without tiktoken's possessive forms):
        /// ``Pattern/byteLevel``, split by the r50k scanner.
        public static let byteLevelPattern = Pattern.byteLevel

        /// Calls `body` with the pieces this step makes of `piece` (a range of `text`), as they are
        /// found, when its behaviour keeps each part as it is (`Isolated`, `Removed`; no prefix
        /// space); returns false without calling it otherwise (the parts must be gathered first).
        @inline(__always)
        func streamPieces(_ text: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>, _ body: (Range<Int>) throws -> Void) throws -> Bool {
            guard let matches, !addPrefixSpace, behavior == .isolated || behavior == .removed else { return false }
            // A part is a match (kept unless Removed drops it) or the text between matches.
            let keepGaps = behavior == .isolated || !invert, keepMatches = behavior == .isolated || invert
            var previous = piece.lowerBound
            try matches.forEachMatch(in: UnsafeBufferPointer(rebasing: text[piece])) { match in
                let range = (match.lowerBound + piece.lowerBound)..<(match.upperBound + piece.lowerBound)
                if keepGaps, previous < range.lowerBound { try body(previous..<range.lowerBound) }
                if keepMatches { try body(range) }
                previous = range.upperBound
            }
            if keepGaps, previous < piece.upperBound { try body(previous..<piece.upperBound) }
            return true
        }

        /// Appends the pieces this step makes of `piece` (a range of `text`) to `out`.
        func cut(_ text: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>, into out: inout [Range<Int>]) throws {
            guard let matches else { return out.append(piece) }
            var parts = [(range: Range<Int>, isMatch: Bool)]()
            var previous = piece.lowerBound
            try matches.forEachMatch(in: UnsafeBufferPointer(rebasing: text[piece])) { match in
                let range = (match.lowerBound + piece.lowerBound)..<(match.upperBound + piece.lowerBound)
                if previous < range.lowerBound { parts.append((previous..<range.lowerBound, invert)) }
                parts.append((range, !invert))
                previous = range.upperBound
            }
            if previous < piece.upperBound { parts.append((previous..<piece.upperBound, invert)) }
            switch behavior {
            case .isolated:
                out.append(contentsOf: parts.map(\.range))
            case .removed:
                out.append(contentsOf: parts.filter { !$0.isMatch }.map(\.range))
            case .contiguous, .mergedWithPrevious:
                let first = out.count
                var previousMatch = false
                for part in parts {
                    let joins = behavior == .contiguous ? part.isMatch == previousMatch : part.isMatch && !previousMatch
                    if joins, out.count > first {
                        out[out.count - 1] = out[out.count - 1].lowerBound..<part.range.upperBound
                    } else {
                        out.append(part.range)
                    }
                    previousMatch = part.isMatch
                }
            case .mergedWithNext:
                var reversed = [Range<Int>]()
                var previousMatch = false
                for part in parts.reversed() {
                    if part.isMatch && !previousMatch, let last = reversed.last {
                        reversed[reversed.count - 1] = part.range.lowerBound..<last.upperBound
                    } else {
                        reversed.append(part.range)
                    }
                    previousMatch = part.isMatch
                }
                out.append(contentsOf: reversed.reversed())
            }
        }
    }

    /// A pre-tokenizer that runs `steps` in order, each within the pieces of the one before (no
    /// step: the whole text is one piece). It has no safe cuts.
    public convenience init(steps: [Step], description: String) {
        self.init(pattern: description, scanner: nil, regex: nil, steps: steps)
    }

    /// `steps` split by `scanner`, which gives exactly their pieces in one pass (DeepSeek V4's
    /// pipeline); the steps stay as the reference the scanner is tested against.
    convenience init(steps: [Step], scanner: Scanner, description: String) {
        self.init(pattern: description, scanner: scanner, regex: nil, steps: steps)
    }

    /// The pieces of `text` through the steps.
    func stepPieces(_ text: UnsafeBufferPointer<UInt8>, _ steps: [Step]) throws -> [Range<Int>] {
        try stepPiecesWithPrefixSpace(text, steps).map(\.range)
    }

    /// The pieces of `text` through the steps, each flagged when a `ByteLevel` with
    /// `add_prefix_space` (only ever the last step) put a space before it.
    func stepPiecesWithPrefixSpace(_ text: UnsafeBufferPointer<UInt8>, _ steps: [Step]) throws -> [(range: Range<Int>, prefixSpace: Bool)] {
        var pieces = text.isEmpty ? [] : [0..<text.count]
        var next = [Range<Int>]()
        for step in steps {
            if step.addPrefixSpace {
                var spaced = [(range: Range<Int>, prefixSpace: Bool)]()
                for piece in pieces {
                    if text[piece.lowerBound] == 0x20 {
                        next.removeAll(keepingCapacity: true)
                        try step.cut(text, piece, into: &next)
                        spaced += next.map { ($0, false) }
                    } else {
                        try step.cutWithPrefixSpace(text, piece, into: &spaced)
                    }
                }
                return spaced
            }
            next.removeAll(keepingCapacity: true)
            for piece in pieces { try step.cut(text, piece, into: &next) }
            swap(&pieces, &next)
        }
        return pieces.map { ($0, false) }
    }
}
