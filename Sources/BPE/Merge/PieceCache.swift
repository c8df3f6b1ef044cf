/// Remembers the tokens of pieces: a repeated word costs one hash and one comparison instead of a
/// merge. Words repeat a lot in real text (Zipf's law); this is the cache Hugging Face tokenizers
/// keeps per word.
///
/// Three tables, each answer verified by comparing bytes, so the result never depends on the cache:
/// - pieces of four to eight bytes go first through a small direct-mapped table of their packed
///   bytes and their tokens when there are at most three (``HotTokens``), or "more": the hot
///   words of a text then answer from 16–128 KiB that stay in cache, with no probe into the
///   4 MiB key table and no merge;
/// - pieces that need merging, through direct-mapped *entries* that point into the current text
///   and output (no copies): valid for one encode call only, so each entry carries the call's
///   *generation*, and entries of other calls are misses;
/// - pieces that need merging and miss the entries, through a ``MergeMemo`` (copies of the bytes
///   and their tokens, up to ``MergeMemo/maximumLength`` bytes) or, for longer pieces up to
///   ``LongPieceMemo/maximumLength`` bytes, a ``LongPieceMemo`` (made at the first long piece it
///   is to remember), in full or sampled (see `State.memoInUse`).
///
/// The cache also keeps the backtracking search's memo of pair tests (``ValidPairMemo``) for the
/// merges it asks for (``BytePairMerger/mergePiece(_:_:search:validPairs:into:)``).
///
/// The whole-token table and the memos hold nothing of any one text, so they are kept across
/// calls: a cache is lent by the encoding's ``PieceCachePool`` to one call at a time, and what it
/// learnt serves the next call (a chat history encoded again at every turn, a server's repeated
/// prompts).
struct PieceCache: @unchecked Sendable {  // one caller at a time: see PieceCachePool
    private struct Entry {
        var hash: UInt64
        var start: UInt32
        var length: UInt32
        var tokenStart: UInt32
        var tokenCount: UInt32
        var generation: UInt32
    }

    /// Everything, behind one pointer: the piece loop passes the cache to ``encode(_:start:length:merger:into:)``
    /// for every piece, and a struct of more words than fit in registers would be copied each time.
    private struct State {
        let entries: UnsafeMutablePointer<Entry>
        /// The hot table: `key` the packed bytes, `meta` their ``HotTokens`` (0: empty).
        let hot: UnsafeMutablePointer<(key: UInt64, meta: UInt64)>
        var memo: MergeMemo
        var longMemo: LongPieceMemo?
        /// The backtracking search's pair tests, for the merges this cache asks for.
        let validPairs: ValidPairMemo
        /// The vocabulary's backtracking index once made (by a long piece or `warmUp`), for the
        /// search on long runs of alphabets (``BytePairMerger/mergePiece(_:_:search:validPairs:into:)``);
        /// looked for at the first merge of each call until found.
        /// (Unmanaged: the encoding that owns this cache's pool owns the table that keeps the
        /// index, so it outlives the cache; a strong reference would be retained and released at
        /// every merge.)
        var searchIndex: Unmanaged<BacktrackingIndex>?
        var searchIndexLookedFor = false
        /// The call whose entries are valid (entries of other generations are misses).
        var generation: UInt32 = 0
        /// This call's share of the whole-token table and of the entries, by its text's length: a
        /// short text's hot words stay in a few KiB (the first 1,024 slots up to all 8,192; the
        /// first 256 entries up to all 4,096). Only where a key is looked for changes; every slot
        /// is verified.
        var hotShift: UInt64 = 51
        var entryShift: UInt64 = 52
        /// Whether this call looks every merged piece up in the memo and remembers every new one:
        /// when at least an eighth of recent lookups of sampled pieces hit (or, within a call, an
        /// eighth of at least sixteen), and for as long as an eighth of each ``PieceCache/window``
        /// of them hit (a hit saves a merge of hundreds of instructions; a miss costs a tag load
        /// and a store).
        /// Otherwise it looks up (and remembers) the merged pieces that ``isSampled(_:)`` picks,
        /// one in sixteen, to notice when text repeats (from an earlier call, or within this one
        /// beyond the entries' reach), and remembers pieces met twice in a call, so new text pays
        /// next to nothing for the memo.
        var memoInUse = false
        /// Whether this call's text is shorter than ``PieceCache/smallText``: every merged piece
        /// then goes through the memo. Such a text has too few merged pieces for the samples to
        /// tell whether text repeats (a 1.3 KB Thai UI string: about one sample a call), and few
        /// merged pieces to store.
        var smallCall = false
        /// This call's lookups of sampled pieces and their hits, and those of the current window
        /// in full use.
        var lookups = 0, hits = 0, windowLookups = 0, windowHits = 0
        /// Sampled lookups and hits over recent calls: each call's added, the older halved once
        /// there are 64 (a call of a few KiB has a handful of samples, and the decision at the
        /// next call needs at least sixteen).
        var recentLookups = 0, recentHits = 0
        /// Bytes of text encoded with this cache, which sizes the memo.
        var bytesSeen = 0
        /// This call's lookups of the memos (every one, sampled or not) and their hits: what the
        /// pool weighs to lend caches to texts under ``PieceCachePool/minimumText``.
        var callLookups = 0, callHits = 0
        /// Runs of whole lines and their tokens (see ``LineMemo``), made at the first run remembered.
        var lines: LineMemo?
        /// Whether this call looks every run of lines up before scanning it: from its start when
        /// at least half of at least eight recent lookups of sampled runs
        /// (``LineMemo/isSampled(before:length:)``) hit, or from where ``countRunSample(hit:)``
        /// says.
        var linesInUse = false
        /// Whether this call remembers every run it scans (not only the sampled ones): in use, or
        /// once half of a window of sampled runs were found (``countRunSample(hit:)``).
        var learnsLines = false
        /// Lookups of sampled runs and their hits: this call's, those of the current window (which
        /// goes on across calls), and recent calls' (halved at each call and added to).
        var lineLookups = 0, lineHits = 0, lineWindowLookups = 0, lineWindowHits = 0
        var recentLineLookups = 0, recentLineHits = 0
    }

    static let slotCount = 4096
    static let hotCount = 8192
    /// Pieces shorter than this are not cached (their merge is as cheap as a lookup).
    static let minimumPiece = 4
    /// Texts shorter than this use the memo in full (see `State.smallCall`).
    static let smallText = 4096
    /// Sampled lookups of the memo in full use (about 512 lookups in all) between checks that it
    /// still earns its keep.
    static let window = 32
    /// The memo grows to its full size once this many bytes have been encoded with the cache.
    static let memoGrowth = 1 << 18
    /// Slots of the backtracking search's pair memo (32 KiB).
    static let validPairSlots = 1 << 12

    private let state: UnsafeMutablePointer<State>

    init() {
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: PieceCache.slotCount)
        entries.initialize(repeating: Entry(hash: 0, start: 0, length: 0, tokenStart: 0, tokenCount: 0, generation: 0),
                           count: PieceCache.slotCount)
        let hot = UnsafeMutablePointer<(key: UInt64, meta: UInt64)>.allocate(capacity: PieceCache.hotCount)
        hot.initialize(repeating: (0, 0), count: PieceCache.hotCount)
        state = .allocate(capacity: 1)
        state.initialize(to: State(entries: entries, hot: hot, memo: MergeMemo(lineBits: MergeMemo.minimumLineBits),
                                   validPairs: ValidPairMemo(slots: PieceCache.validPairSlots)))
    }

    func deallocate() {
        state.pointee.entries.deallocate()
        state.pointee.hot.deallocate()
        state.pointee.memo.deallocate()
        state.pointee.longMemo?.deallocate()
        state.pointee.validPairs.deallocate()
        state.pointee.lines?.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Starts an encode call of `textLength` bytes: the entries of earlier calls become misses (the
    /// other tables stay). The memo starts small and grows to its full size (dropping what it
    /// held) once ``memoGrowth`` bytes have been encoded with this cache: a process that encodes a
    /// few small texts never maps 4 MiB.
    func startCall(textLength: Int) {
        let s = state
        s.pointee.bytesSeen += textLength
        s.pointee.smallCall = textLength < PieceCache.smallText
        s.pointee.searchIndexLookedFor = false
        var hotBits = 10, entryBits = 8
        while 1 << hotBits < PieceCache.hotCount, (1 << hotBits) * 32 < textLength { hotBits += 1 }
        while 1 << entryBits < PieceCache.slotCount, (1 << entryBits) * 64 < textLength { entryBits += 1 }
        s.pointee.hotShift = UInt64(64 - hotBits)
        s.pointee.entryShift = UInt64(64 - entryBits)
        if s.pointee.recentLookups >= 64 { (s.pointee.recentLookups, s.pointee.recentHits) = (s.pointee.recentLookups / 2, s.pointee.recentHits / 2) }
        s.pointee.recentLookups += s.pointee.lookups
        s.pointee.recentHits += s.pointee.hits
        (s.pointee.lookups, s.pointee.hits, s.pointee.windowLookups, s.pointee.windowHits) = (0, 0, 0, 0)
        (s.pointee.callLookups, s.pointee.callHits) = (0, 0)
        s.pointee.memoInUse = s.pointee.recentLookups >= 16 && s.pointee.recentHits * 8 >= s.pointee.recentLookups
        // The samples of recent calls, the older halved at each call; windows go on across calls.
        s.pointee.recentLineLookups = s.pointee.recentLineLookups / 2 + s.pointee.lineLookups
        s.pointee.recentLineHits = s.pointee.recentLineHits / 2 + s.pointee.lineHits
        (s.pointee.lineLookups, s.pointee.lineHits) = (0, 0)
        s.pointee.linesInUse = s.pointee.recentLineLookups >= 8 && s.pointee.recentLineHits * 2 >= s.pointee.recentLineLookups
        if s.pointee.linesInUse || s.pointee.learnsLines { startLearningRuns() }
        if s.pointee.memo.lineBits < MergeMemo.maximumLineBits, s.pointee.bytesSeen >= PieceCache.memoGrowth {
            s.pointee.memo.deallocate()
            s.pointee.memo = MergeMemo(lineBits: MergeMemo.maximumLineBits)
        }
        if s.pointee.generation == .max {
            for k in 0..<PieceCache.slotCount { s.pointee.entries[k].generation = 0 }
            s.pointee.generation = 0
        }
        s.pointee.generation += 1
    }

    /// Whether a merged piece of this hash is one of the memo's samples while it is not in full use:
    /// one piece in sixteen, chosen by its hash, so that a sampled piece is sampled at every
    /// occurrence, remembered at its first and found at the next. Among the samples, the share of
    /// lookups that hit is then the share that the memo in full use would have answered (pieces
    /// repeated beyond the per-call entries' reach, or met in earlier calls), not a sixteenth of it.
    @inline(__always)
    static func isSampled(_ hash: UInt64) -> Bool { hash >> 36 & 15 == 0 }

    /// Whether the long-piece memo has been made (for tests).
    var hasLongMemo: Bool { state.pointee.longMemo != nil }

    /// How many pieces the hot table holds merged, two or three tokens each (for tests).
    var hotMergedPieces: Int {
        (0..<PieceCache.hotCount).count { state.pointee.hot[$0].meta >> 54 & 3 >= 2 }
    }

    /// The memos' lookups and hits in the current (or last) call, every lookup counted.
    var callMemoCounts: (lookups: Int, hits: Int) { (state.pointee.callLookups, state.pointee.callHits) }

    /// The memo's lookups and hits over recent calls, and whether this call uses it in full (for tests).
    var memoStatistics: (recentLookups: Int, recentHits: Int, inUse: Bool) {
        (state.pointee.recentLookups, state.pointee.recentHits, state.pointee.memoInUse)
    }

    // MARK: Runs of lines

    /// Sampled runs looked up in use between checks that the line memo still earns its keep.
    static let lineWindow = 32

    /// Whether this call looks every run of lines up before scanning it (see ``LineMemo``).
    var linesInUse: Bool { state.pointee.linesInUse }

    /// Whether this call remembers every run it scans, not only the sampled ones.
    var learnsLines: Bool { state.pointee.learnsLines }

    /// Appends the remembered tokens of the `length` bytes at `run` (hash `hash`) to `output`;
    /// false, appending nothing, when they are not remembered.
    @inline(__always)
    func appendRun(_ run: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, into output: inout [Rank]) -> Bool {
        state.pointee.lines?.append(run, length, hash: hash, into: &output) == true
    }

    /// Remembers that a run encodes to `tokens` (making the line memo at the first run: small
    /// while it keeps only sampled runs).
    func storeRun(_ run: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, tokens: UnsafeBufferPointer<Rank>) {
        if state.pointee.lines == nil {
            state.pointee.lines = LineMemo(size: state.pointee.learnsLines ? .large : .small)
        }
        state.pointee.lines!.store(run, length, hash: hash, tokens: tokens)
    }

    /// A run scanned by the piece loop while runs are not in use: a sampled run is looked up (and
    /// counted) and remembered when absent; any other is remembered when the call learns runs.
    @inline(never)
    func noteRun(_ run: UnsafePointer<UInt8>, _ length: Int, sampled: Bool, tokens: UnsafeBufferPointer<Rank>) {
        let hash = LineMemo.hash(run, length)
        if sampled {
            let hit = state.pointee.lines?.holds(run, length, hash: hash) == true
            countRunSample(hit: hit)
            if hit { return }
        }
        storeRun(run, length, hash: hash, tokens: tokens)
    }

    /// Counts a lookup of a sampled run and returns whether the call now looks every run up.
    /// The samples are weighed in windows of sixteen (``lineWindow`` in use): sampling, a window
    /// with half of its samples found makes the call learn every run (the memo grown to its full
    /// size, keeping what it held); learning, a window with half found puts the memo in use, one
    /// with under a quarter goes back to sampling; in use, a window with under a quarter found goes
    /// back to sampling (text that stopped repeating, or more of it than the memo holds). The next
    /// call starts in use when half of recent calls' samples were found (see `State.linesInUse`).
    @discardableResult
    func countRunSample(hit: Bool) -> Bool {
        let s = state
        s.pointee.lineLookups += 1
        s.pointee.lineWindowLookups += 1
        if hit { (s.pointee.lineHits, s.pointee.lineWindowHits) = (s.pointee.lineHits + 1, s.pointee.lineWindowHits + 1) }
        let window = s.pointee.linesInUse ? PieceCache.lineWindow : PieceCache.lineWindow / 2
        guard s.pointee.lineWindowLookups == window else { return s.pointee.linesInUse }
        let half = s.pointee.lineWindowHits * 2 >= window, quarter = s.pointee.lineWindowHits * 4 >= window
        (s.pointee.lineWindowLookups, s.pointee.lineWindowHits) = (0, 0)
        if (s.pointee.linesInUse || s.pointee.learnsLines) && !quarter {
            (s.pointee.linesInUse, s.pointee.learnsLines) = (false, false)
            // What made it repeat is over: the next call decides on what follows.
            (s.pointee.lineLookups, s.pointee.lineHits, s.pointee.recentLineLookups, s.pointee.recentLineHits) = (0, 0, 0, 0)
        } else if s.pointee.learnsLines && half {
            s.pointee.linesInUse = true
        } else if !s.pointee.learnsLines && half {
            startLearningRuns()
        }
        return s.pointee.linesInUse
    }

    /// Makes the call remember every run, the memo grown to its full size (keeping what it held).
    private func startLearningRuns() {
        let s = state
        s.pointee.learnsLines = true
        if let lines = s.pointee.lines, lines.size != .large {
            s.pointee.lines = lines.grown(to: .large)
            lines.deallocate()
        }
    }

    /// The line memo's size once made (for tests).
    var lineMemoSize: LineMemo.Size? { state.pointee.lines?.size }

    /// Appends the tokens of the piece at `start` (`length` bytes of `text`) to `output`, as the
    /// piece loop does: one to three bytes (a punctuation mark, a digit, a letter of many scripts)
    /// in line, with no call into the cache for what it would not remember; longer pieces through
    /// ``encode(_:start:length:merger:into:)``.
    @inline(__always)
    func appendPiece(_ text: UnsafePointer<UInt8>, start: Int, length: Int, merger: BytePairMerger, into output: inout [Rank]) {
        if length < PieceCache.minimumPiece {
            merger.appendUpToThree(text + start, length, into: &output)
        } else {
            encode(text, start: start, length: length, merger: merger, into: &output)
        }
    }

    /// Appends the tokens of the piece at `start` (`length` bytes of `text`) to `output`.
    @inline(never)  // a call from the piece loop: see ``BytePairMerger`` on inlining
    func encode(_ text: UnsafePointer<UInt8>, start: Int, length: Int, merger: BytePairMerger, into output: inout [Rank]) {
        let piece = text + start
        if length < PieceCache.minimumPiece {
            merger.appendUpToThree(piece, length, into: &output)
            return
        }
        if start > Int(UInt32.max) || output.count > Int(UInt32.max) {
            merger.appendTokens(piece, length, into: &output)
            return
        }
        let s = state
        let hash: UInt64
        var hotSlot: UnsafeMutablePointer<(key: UInt64, meta: UInt64)>?
        if length <= 8 {
            let key = ShortKeyTable.pack(piece, length)
            let slot = s.pointee.hot + Int(truncatingIfNeeded: ShortKeyTable.hash(key, length) >> s.pointee.hotShift)
            if slot.pointee.key == key, HotTokens.length(slot.pointee.meta) == length {
                let meta = slot.pointee.meta
                if HotTokens.append(meta, to: &output) { return }
            } else {
                let whole = merger.table.short.rank(piece, length)
                if whole != RankTable.noRank {
                    if let meta = HotTokens.meta(length: length, whole) { slot.pointee = (key, meta) }
                    output.append(whole)
                    return
                }
                // Not a token: "more" until its merge below shows whether it has at most three.
                slot.pointee = (key, HotTokens.more(length: length))
                hotSlot = slot
            }
            hash = RankTable.hash(piece, length)
        } else {
            hash = RankTable.hash(piece, length)  // hashed once: for the lookup and for the cache below
            let whole = merger.table.rank(piece, length, hash: hash)
            if whole != RankTable.noRank {
                output.append(whole)
                return
            }
        }
        let generation = s.pointee.generation
        let slot = s.pointee.entries + Int(truncatingIfNeeded: hash >> s.pointee.entryShift)
        let entry = slot.pointee
        if entry.hash == hash, entry.generation == generation, Int(entry.length) == length,
           POSIX.equal(text + Int(entry.start), piece, count: length) {
            // Element by element: appending a slice of `output` to itself would copy the whole array.
            let tokenStart = Int(entry.tokenStart)
            for k in tokenStart..<(tokenStart + Int(entry.tokenCount)) { output.append(output[k]) }
            if let hotSlot { remember(output, from: output.count - Int(entry.tokenCount), length: length, in: hotSlot) }
            // Met twice in this call: worth remembering for later calls too.
            if length <= MergeMemo.maximumLength ? !s.pointee.memo.mayHold(hash)
                : length <= LongPieceMemo.maximumLength && s.pointee.longMemo?.mayHold(hash) != true {
                rememberLast(Int(entry.tokenCount), of: piece, length, hash: hash, output: output)
            }
            return
        }
        let before = output.count
        if length <= LongPieceMemo.maximumLength {
            mergeThroughMemo(piece, length, hash: hash, merger: merger, into: &output)
        } else {
            merger.mergePiece(piece, length, into: &output)
        }
        slot.pointee = Entry(hash: hash, start: UInt32(start), length: UInt32(length), tokenStart: UInt32(before),
                             tokenCount: UInt32(output.count - before), generation: generation)
        if let hotSlot { remember(output, from: before, length: length, in: hotSlot) }
    }

    /// Puts the piece's tokens (`output` from `before`) in its hot slot when ``HotTokens`` holds them.
    @inline(never)
    private func remember(_ output: [Rank], from before: Int, length: Int,
                          in slot: UnsafeMutablePointer<(key: UInt64, meta: UInt64)>) {
        let count = output.count - before  // two or more: one token would have been found whole
        let meta = count == 2 ? HotTokens.meta(length: length, output[before], output[before + 1])
            : count == 3 ? HotTokens.meta(length: length, output[before], output[before + 1], output[before + 2]) : nil
        if let meta { slot.pointee.meta = meta }
    }

    // The memo's part, out of line: inlined, it made `encode` large enough that the optimizer
    // called `BytePairMerger.appendTokens` instead of inlining it (every short piece paid a call).

    /// Remembers the piece whose tokens are the last `count` of `output`.
    @inline(never)
    private func rememberLast(_ count: Int, of piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, output: [Rank]) {
        output.withUnsafeBufferPointer {
            store(piece, length, hash: hash, tokens: UnsafeBufferPointer(rebasing: $0[($0.count - count)...]))
        }
    }

    /// Remembers a piece in the memo for its length (making the long-piece memo at its first piece).
    @inline(__always)
    private func store(_ piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, tokens: UnsafeBufferPointer<Rank>) {
        if length <= MergeMemo.maximumLength {
            state.pointee.memo.store(piece, length, hash: hash, tokens: tokens)
        } else {
            if state.pointee.longMemo == nil { state.pointee.longMemo = LongPieceMemo() }
            state.pointee.longMemo!.store(piece, length, hash: hash, tokens: tokens)
        }
    }

    /// Counts a lookup of a sampled piece (``isSampled(_:)``), whose hits estimate the memo's in
    /// full use whatever else it holds. Out of use, an eighth of at least sixteen such lookups
    /// bring it into use; in use, a ``window`` of them with fewer than an eighth of hits takes it
    /// out again (text that stopped repeating: a new document after one met before), starting the
    /// call's count again.
    @inline(__always)
    private func countSample(hit: Bool, inUse: Bool) {
        let s = state
        let lookups = s.pointee.lookups + 1, hits = s.pointee.hits + (hit ? 1 : 0)
        (s.pointee.lookups, s.pointee.hits) = (lookups, hits)
        if !inUse {
            if hit && lookups >= 16 && hits * 8 >= lookups { s.pointee.memoInUse = true }
            return
        }
        s.pointee.windowLookups += 1
        if hit { s.pointee.windowHits += 1 }
        guard s.pointee.windowLookups == PieceCache.window else { return }
        if s.pointee.windowHits * 8 < PieceCache.window {
            s.pointee.memoInUse = false
            (s.pointee.lookups, s.pointee.hits) = (0, 0)
        }
        (s.pointee.windowLookups, s.pointee.windowHits) = (0, 0)
    }

    /// The merge of a piece of at most ``LongPieceMemo/maximumLength`` bytes that the entries do
    /// not hold: from the memo for its length when the memo is in use, the call is small or the
    /// piece is a sample, and the memo holds it; else merged (and remembered in those cases).
    @inline(never)
    private func mergeThroughMemo(_ piece: UnsafePointer<UInt8>, _ length: Int, hash: UInt64, merger: BytePairMerger,
                                  into output: inout [Rank]) {
        let s = state
        let inUse = s.pointee.memoInUse, sampled = PieceCache.isSampled(hash)
        let lookup = inUse || sampled || s.pointee.smallCall
        if lookup {
            let found = length <= MergeMemo.maximumLength ? s.pointee.memo.append(piece, length, hash: hash, into: &output)
                : s.pointee.longMemo?.append(piece, length, hash: hash, into: &output) == true
            if sampled { countSample(hit: found, inUse: inUse) }
            s.pointee.callLookups &+= 1
            if found {
                s.pointee.callHits &+= 1
                return
            }
        }
        let before = output.count
        if s.pointee.searchIndex == nil && !s.pointee.searchIndexLookedFor {
            s.pointee.searchIndex = merger.loadedBacktrackingIndex.map { Unmanaged.passUnretained($0) }
            s.pointee.searchIndexLookedFor = true
        }
        if let index = s.pointee.searchIndex {
            index._withUnsafeGuaranteedRef {
                merger.mergePiece(piece, length, search: $0, validPairs: s.pointee.validPairs, into: &output)
            }
        } else {
            merger.mergePiece(piece, length, into: &output)
        }
        if lookup {  // a sampled piece is remembered too: text met again then shows in the samples' hits
            output.withUnsafeBufferPointer {
                store(piece, length, hash: hash, tokens: UnsafeBufferPointer(rebasing: $0[before...]))
            }
        }
    }
}
