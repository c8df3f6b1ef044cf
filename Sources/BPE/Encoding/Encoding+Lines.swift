/// The piece loop of a segment with a piece cache, through its memo of runs of lines
/// (``LineMemo``).
///
/// ## Algorithm
/// While a call does not use the line memo (new text), the piece loop runs as without it, and a
/// piece that ends in `\n` may end a run: one byte compared per piece, and at one line end in
/// four (chosen by the eight bytes before it) a test for a safe cut. One run in sixteen, chosen
/// by the same bytes, is *sampled*: it is looked up in the memo and remembered when absent. When
/// half of a window of sixteen samples are found, the call remembers every run from then on;
/// when half of the next sixteen are found too, it *uses* the memo from the next run cut on: it
/// finds each run's end first (`memchr` for each `\n`, then the run cut's test), answers the run
/// from the memo when it is there and scans it alone otherwise (then remembers it), for as long
/// as a quarter of each 32 sampled runs among them are found, in this call and the next; then
/// the piece loop takes the rest of the segment.
///
/// ## Invariant
/// The ids are those of the piece loop over the whole segment: a run starts at the segment's
/// start or at a safe cut and ends at a safe cut, so its tokens are those of the run encoded
/// alone (`PreTokenizer+SafeCuts.swift`), whether they come from the memo or from a scan. Both
/// loops cut runs at the same places: a safe cut is a piece's end, and the rule for a run cut
/// reads only the run's length and the bytes before the cut.
extension Encoding {
    /// ``encodeSegment(_:offset:text:cache:into:pieces:)`` for a sink that keeps no pieces and a
    /// pattern with safe cuts: the piece loop and the loop over remembered runs in turn, as the
    /// cache decides.
    /// - Complexity: O(n).
    @inline(__always)
    func encodeSegmentByRuns(_ segment: UnsafeBufferPointer<UInt8>, offset: Int, text: UnsafeBufferPointer<UInt8>,
                             cache: PieceCache, into output: inout [Rank]) throws(TokenEncodingError) {
        var from = 0
        while from < segment.count {
            if cache.linesInUse {
                from = try encodeRememberedRuns(segment, from: from, offset: offset, text: text, cache: cache, into: &output)
                if from == segment.count { return }
            }
            from = try encodeNotingRuns(segment, from: from, offset: offset, text: text, cache: cache, into: &output)
        }
    }

    /// Stops the piece loop at a run cut (thrown by its body, caught by ``encodeNotingRuns``).
    private struct RunCutReached: Error {}

    /// The piece loop over `segment[from...]` (`from` a run cut or the segment's start), noting
    /// runs, until the segment's end or a run cut after which the cache uses remembered runs.
    /// - Returns: where it stopped.
    @inline(__always)
    private func encodeNotingRuns(_ segment: UnsafeBufferPointer<UInt8>, from: Int, offset: Int, text: UnsafeBufferPointer<UInt8>,
                                  cache: PieceCache, into output: inout [Rank]) throws(TokenEncodingError) -> Int {
        let part = UnsafeBufferPointer(rebasing: segment[from...])
        let base = part.baseAddress!, partOffset = offset + from
        let merger = self.merger
        var runStart = 0, runTokens = output.count
        do {
            try preTokenizer.forEachPiece(in: part) { range in
                cache.appendPiece(text.baseAddress!, start: partOffset + range.lowerBound, length: range.count, merger: merger, into: &output)
                let end = range.upperBound
                if base[end &- 1] == 0x0A, LineMemo.isRunCut(before: base + end, length: end &- runStart),
                   noteRun(part, from: runStart, to: end, tokensFrom: runTokens, cache: cache, output: &output) {
                    runStart = end
                    runTokens = output.count
                    if cache.linesInUse { throw RunCutReached() }
                }
            }
        } catch is RunCutReached {
            return from + runStart
        } catch {
            throw .patternFailed(String(describing: error))
        }
        return segment.count
    }

    /// Whether the line end at `end` that the rule for run cuts picks is a safe cut, so that a run
    /// (`part[start..<end]`, its tokens `output` from `tokenStart`) ends there; if so, the run is
    /// handed to the cache when it is sampled or the call learns runs.
    @inline(never)
    private func noteRun(_ part: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, tokensFrom tokenStart: Int,
                         cache: PieceCache, output: inout [Rank]) -> Bool {
        guard preTokenizer.isSafeCut(part, end) else { return false }
        let length = end &- start
        let base = part.baseAddress!
        let sampled = LineMemo.isSampled(before: base + end, length: length)
        if length <= LineMemo.maximumLength, sampled || cache.learnsLines {
            output.withUnsafeBufferPointer {
                cache.noteRun(base + start, length, sampled: sampled, tokens: UnsafeBufferPointer(rebasing: $0[tokenStart...]))
            }
        }
        return true
    }

    /// The loop of a call that uses the line memo, from `from` (a run cut or the segment's start):
    /// each run from the memo, or scanned alone and remembered, until the segment's last run or
    /// until the memo stops earning its keep.
    /// - Returns: where it stopped: `from`, a run cut or the segment's end.
    @inline(never)
    private func encodeRememberedRuns(_ segment: UnsafeBufferPointer<UInt8>, from: Int, offset: Int, text: UnsafeBufferPointer<UInt8>,
                                      cache: PieceCache, into output: inout [Rank]) throws(TokenEncodingError) -> Int {
        let base = segment.baseAddress!
        var start = from
        while true {
            var end = start
            repeat {
                guard let newline = POSIX.firstIndex(of: 0x0A, in: base + end, count: segment.count - end) else { return start }
                end += newline + 1
            } while !(LineMemo.isRunCut(before: base + end, length: end - start) && preTokenizer.isSafeCut(segment, end))
            let run = base + start, length = end - start
            let hash = LineMemo.hash(run, length)
            let found = length <= LineMemo.maximumLength && cache.appendRun(run, length, hash: hash, into: &output)
            if !found {
                let before = output.count
                try encodePieces(UnsafeBufferPointer(rebasing: segment[start..<end]), offset: offset + start, text: text,
                                 cache: cache, into: &output)
                if length <= LineMemo.maximumLength {
                    output.withUnsafeBufferPointer {
                        cache.storeRun(run, length, hash: hash, tokens: UnsafeBufferPointer(rebasing: $0[before...]))
                    }
                }
            }
            start = end
            if LineMemo.isSampled(before: base + end, length: length), !cache.countRunSample(hit: found) { return start }
        }
    }

    /// The piece loop over `part` (at `offset` in `text`), with the piece cache.
    @inline(__always)
    private func encodePieces(_ part: UnsafeBufferPointer<UInt8>, offset: Int, text: UnsafeBufferPointer<UInt8>,
                              cache: PieceCache, into output: inout [Rank]) throws(TokenEncodingError) {
        let merger = self.merger
        do {
            try preTokenizer.forEachPiece(in: part) { range in
                cache.appendPiece(text.baseAddress!, start: offset + range.lowerBound, length: range.count, merger: merger, into: &output)
            }
        } catch {
            throw .patternFailed(String(describing: error))
        }
    }
}
