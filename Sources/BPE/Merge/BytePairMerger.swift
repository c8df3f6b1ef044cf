/// Byte-pair merging of one pre-token piece, tiktoken's semantics: the one type that owns it.
///
/// ## Definitions
/// A *piece* is a byte string cut out by the pre-tokenizer. A *part* is a run of the piece's bytes;
/// at the start every byte is its own part. A *pair* is two adjacent parts; its rank is the rank of
/// their concatenated bytes, or none when that is not a token.
///
/// ## Invariants
/// - Every part is a token (every single byte is a token, and a merge only forms tokens).
/// - The parts always cover the piece, in order, without overlap.
///
/// ## Algorithm (tiktoken's semantics)
/// A piece that is one token is that token. Otherwise, while some pair has a rank, merge the pair
/// with the lowest rank; among pairs with the same rank (the same bytes at several places) merge
/// the leftmost. The tokens are the final parts.
///
/// ``appendTokens(_:_:into:)`` is the entry point and ``mergePiece(_:_:into:)`` the one place that
/// picks a tier by length. The tiers give identical results, each in its own file:
/// - **short pieces** (at most ``shortPieceLimit`` bytes, the vast majority;
///   `BytePairMerger+ShortPieces.swift`): first cut between characters that no token joins
///   (`BytePairMerger+CharacterCuts.swift`; a lone character then costs a table lookup), then
///   tiktoken's loop over linked parts in stack buffers, rescanning for the minimum after each
///   merge: O(n²) but tiny constants (unrolled for up to four bytes); from whole characters'
///   tokens instead of bytes where that is exact (`BytePairMerger+CharacterParts.swift`);
/// - **pieces up to ``characterCutLimit`` bytes** (runs of CJK without spaces): first cut between
///   characters as short pieces are; parts still over ``shortPieceLimit`` bytes, and pieces with
///   no such place, go to the long tier;
/// - **long pieces** (`BytePairMerger+LongPieces.swift`): first cut where no token contains the
///   two bytes either side (``JoinablePairs``); runs that stay long are merged by the backtracking
///   search (`BytePairMerger+Backtracking.swift`, O(n)) when the vocabulary meets its exactness
///   condition (every built-in one does), else by a heap (`BytePairMerger+Heap.swift`, O(n log n)).
///
/// A piece cache's merges go through ``mergePiece(_:_:search:validPairs:into:)`` instead, which
/// sends long runs of alphabets and abugidas (Thai, Khmer, Tamil…) to the backtracking search
/// once its index is loaded: their tokens span several characters and hold parts of characters,
/// so they cut badly and the rescanning loop is quadratic, while the search's pair tests repeat
/// across a text's words and are remembered (``ValidPairMemo``). Shorter words stay with the
/// tiers: there the search counted fewer instructions but took longer, its trie walk missing the
/// caches where the short tables hit.
///
/// The readable oracle the tests and fuzzers compare every tier with is
/// ``Vocabulary/referenceMerge(_:)``.
///
/// ## Worked example
/// With the ranks `ab` 0, `bc` 1, `abc` 2 and the piece `abcbc`:
/// pairs `ab`(0) `bc`(1) `cb`(–) `bc`(1) → merge `ab`: parts `ab|c|b|c`, pairs `abc`(2) `cb`(–) `bc`(1)
/// → merge `bc` (rank 1): `ab|c|bc`, pairs `abc`(2) `cbc`(–) → merge `abc`: `abc|bc`. Tokens: 2, 1.
/// (`BytePairMergeTests.workedExample` checks exactly this.)
///
/// ## Inlining
/// The piece loop (`Encoding.encodeSegment`, the scanner inlined into it) inlines
/// ``appendTokens(_:_:into:)`` (a whole-token lookup, then calls) or calls the piece cache's
/// `encode`, which inlines it too; the tiers behind it are calls: `PieceCache.encode`,
/// `mergeShortPiece` and `mergeLongPiece` are `@inline(never)`. Inlined, their bodies make the
/// loop several times larger and every piece pays for the spills, merged or not, and a call for
/// the whole-token lookup costs every short piece too (cachegrind counted 3.7–9% more
/// instructions on digit runs either way).
///
/// A merger is a view of one ``RankTable`` (its priorities are that table's ranks); it holds no
/// state of its own, so copies are free and it is safe to share across threads. The long-piece
/// structures it builds on first use (``JoinablePairs``, ``BacktrackingIndex``) are kept with the
/// table, so every encoding of one vocabulary shares them.
struct BytePairMerger: Sendable {
    /// The ranks that order the merges.
    let table: RankTable

    init(table: RankTable) {
        self.table = table
    }

    /// Pieces up to this many bytes use the rescanning loop; longer ones are cut, then backtracked (or the heap).
    static let shortPieceLimit = 48
    /// Pieces up to this many bytes (and over ``shortPieceLimit``) are first cut between characters
    /// no token joins, as short pieces are: runs of CJK characters without spaces fall into parts
    /// of a character or a few. A piece that has no such place goes to the long tier whole.
    static let characterCutLimit = 96
    /// Pieces up to this many bytes merge in stack buffers; longer ones allocate.
    static let stackPieceLimit = 2048

    /// Appends the tokens of the `count` bytes at `piece` to `output`: one token when the piece is
    /// one (tiktoken's rule for a whole piece), else its merge.
    /// - Complexity: O(1) hash probe when the piece is one token; O(n) for long pieces with a
    ///   backtracking index, O(n log n) without.
    @inline(__always)
    func appendTokens(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count == 1 {
            output.append(table.byteRanks[Int(piece.pointee)])
            return
        }
        let whole = table.rank(piece, count)
        if whole != RankTable.noRank {
            output.append(whole)
            return
        }
        mergePiece(piece, count, into: &output)
    }

    /// ``mergePiece(_:_:into:)`` for a piece cache's merges: a piece of more than
    /// ``shortPieceLimit`` bytes that ``prefersSearch(_:_:)`` picks (a run of an alphabet or an
    /// abugida: Thai, Khmer or Tamil words without spaces) takes the backtracking search whole,
    /// which remembers its pair tests in the cache's `validPairs`; every other piece, and a search
    /// over its budget of two candidates a byte, takes the tiers. The cache calls this once it has
    /// the index (made by a long piece or ``Encoding/warmUp()``).
    /// - Complexity: O(n) tries, each pair test O(depth of the two merge trees) or O(1) remembered.
    @inline(__always)
    func mergePiece(_ piece: UnsafePointer<UInt8>, _ count: Int, search index: BacktrackingIndex, validPairs: ValidPairMemo,
                    into output: inout [Rank]) {
        if count > BytePairMerger.shortPieceLimit, BytePairMerger.prefersSearch(piece, count),
           mergeByBacktracking(piece, count, index, budget: 2 * count, validPairs: validPairs, into: &output) { return }
        mergePiece(piece, count, into: &output)
    }

    /// Appends the merge of a piece of two or more bytes that is not one token (the caller has
    /// looked it up): the tier for its length.
    @inline(__always)
    func mergePiece(_ piece: UnsafePointer<UInt8>, _ count: Int, into output: inout [Rank]) {
        if count <= BytePairMerger.shortPieceLimit {
            mergeShortPiece(piece, count, into: &output)
        } else if count > BytePairMerger.characterCutLimit || !mergeCutAtCharacters(piece, count, into: &output) {
            mergeLongPiece(piece, count, into: &output)
        }
    }
}
