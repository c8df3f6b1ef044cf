/// What the backtracking merge (``BytePairMerger/mergeByBacktracking(_:_:into:)``) needs besides the rank
/// table: a trie of every token for leftmost-longest matching, and each token's merge tree.
///
/// ## Definitions
/// - A token is *reachable* when byte-pair merging its own bytes gives that token alone. Only
///   reachable tokens can appear in any encoding.
/// - The *split* of a reachable token of two or more bytes is the pair of tokens whose merge forms
///   it last when its own bytes are merged; following splits gives the token's merge tree.
/// - A token is *monotone* when merging its own bytes performs merges of non-decreasing rank.
///   Most are; Llama 3's and Qwen 3.5's vocabularies have a few that are not (Llama 3: 107 of
///   128,000, such as `.:.:` (rank 100421), the merge of `.:.` (rank 105051) and `:`).
///
/// ## Invariants
/// - Node 0 is the root; node `1 + b` is the single byte `b` (every byte is a token); the nodes of
///   two-byte prefixes are in the dense `depthTwo` table; deeper nodes are found through `slots`, a
///   power-of-two open-addressing table of `(node << 8 | byte) << 32 | child`, load factor at most 3/4.
/// - `nodeToken[node]` is the reachable token spelled by the path to `node`, or `noRank`.
/// - `nextPrefix[t]` is the longest reachable token that is a proper prefix of `t`, `noRank` for
///   single bytes. `splitLeft[t]`/`splitRight[t]` are `t`'s split, `noRank` for single bytes and
///   for unreachable tokens.
/// - `nonMonotone` has bit `t` set exactly when the reachable token `t` is not monotone;
///   ``isExact`` is true exactly when no bit is set. The walk of the pair test is exact for two
///   monotone tokens (see `BytePairMerger+Backtracking.swift`); a pair with another token is
///   tested by merging its bytes.
///
/// Built once per vocabulary file and kept next to it (`BacktrackingIndex+File.swift`); read on the
/// first long piece of a process; immutable afterwards.
final class BacktrackingIndex: @unchecked Sendable {
    /// Deeper trie edges: `(parent << 8 | byte) << 32 | child` for nodes of depth 3 and more.
    let slots: UnsafeMutableBufferPointer<UInt64>
    private let shift: UInt64
    /// For every two-byte string (`first | second << 8`): its trie node (`noNode` when no token
    /// starts with it) in the low half, its rank as a token (`noRank` when none) in the high half.
    let depthTwo: UnsafeMutableBufferPointer<UInt64>
    let nodeToken: UnsafeMutableBufferPointer<Rank>
    let nextPrefix: UnsafeMutableBufferPointer<Rank>
    /// Splits as `rank | length << 32` (`UInt64.max` for none), so a walk down a merge tree needs
    /// no separate length lookup.
    let splitLeft: UnsafeMutableBufferPointer<UInt64>
    let splitRight: UnsafeMutableBufferPointer<UInt64>
    /// One bit per rank: set for a reachable token that is not monotone.
    let nonMonotone: UnsafeMutableBufferPointer<UInt64>
    /// Whether every reachable token is monotone (so no pair needs the test by merging).
    let isExact: Bool
    let unreachableCount: Int
    /// The one allocation holding every array (a whole index file when read from one).
    private let storage: UnsafeMutableRawBufferPointer
    /// Where the arrays start inside `storage`, and how many bytes they take.
    let block: UnsafeMutableRawBufferPointer

    static let emptySlot: UInt64 = .max
    static let noNode: UInt32 = .max

    var nodeCount: Int { nodeToken.count }

    /// The arrays' layout inside `storage`: each starts on an 8-byte boundary.
    struct Layout {
        let rankLimit: Int, nodeCount: Int, slotCount: Int
        /// The bytes of `n` 32-bit values, rounded up to a multiple of 8.
        static func words(_ n: Int) -> Int { (n * 4 + 7) & ~7 }
        var splitLeft: Int { 0 }
        var splitRight: Int { rankLimit * 8 }
        var nextPrefix: Int { 2 * rankLimit * 8 }
        var nodeToken: Int { nextPrefix + Layout.words(rankLimit) }
        var depthTwo: Int { nodeToken + Layout.words(nodeCount) }
        var slots: Int { depthTwo + 65536 * 8 }
        var nonMonotone: Int { slots + slotCount * 8 }
        var byteCount: Int { nonMonotone + (rankLimit + 63) / 64 * 8 }
    }

    /// Adopts `storage`, whose bytes from `offset` on are laid out by `layout` (the caller has
    /// checked their contents), and frees it when done.
    init(storage: UnsafeMutableRawBufferPointer, offset: Int, layout: Layout, isExact: Bool, unreachableCount: Int) {
        precondition(offset & 7 == 0 && storage.count >= offset + layout.byteCount && layout.slotCount.nonzeroBitCount == 1)
        let base = storage.baseAddress! + offset
        block = UnsafeMutableRawBufferPointer(start: base, count: layout.byteCount)
        func array<T>(_ offset: Int, _ n: Int, _ type: T.Type) -> UnsafeMutableBufferPointer<T> {
            UnsafeMutableBufferPointer(start: (base + offset).bindMemory(to: T.self, capacity: n), count: n)
        }
        self.storage = storage
        splitLeft = array(layout.splitLeft, layout.rankLimit, UInt64.self)
        splitRight = array(layout.splitRight, layout.rankLimit, UInt64.self)
        nextPrefix = array(layout.nextPrefix, layout.rankLimit, Rank.self)
        nodeToken = array(layout.nodeToken, layout.nodeCount, Rank.self)
        depthTwo = array(layout.depthTwo, 65536, UInt64.self)
        slots = UnsafeMutableBufferPointer(start: (base + layout.slots).bindMemory(to: UInt64.self, capacity: layout.slotCount),
                                           count: layout.slotCount)
        nonMonotone = array(layout.nonMonotone, (layout.rankLimit + 63) / 64, UInt64.self)
        shift = UInt64(64 - layout.slotCount.trailingZeroBitCount)
        self.isExact = isExact
        self.unreachableCount = unreachableCount
    }

    /// Builds the index of `table`.
    /// - Complexity: O(total token bytes) trie insertions plus one short merge per token; about
    ///   a large share of a second for o200k_base, which is why the result is kept in a file.
    convenience init(merger: BytePairMerger) {
        let table = merger.table
        let rankLimit = table.rankLimit
        var splitLeft = [UInt64](repeating: .max, count: rankLimit)
        var splitRight = splitLeft
        var nextPrefix = [Rank](repeating: RankTable.noRank, count: rankLimit)

        // 1. Each token's split, reachability and monotonicity, from merging its own bytes.
        var reachable = [Bool](repeating: false, count: rankLimit)
        var nonMonotone = [Rank]()
        var unreachable = 0
        var totalBytes = 0
        for rank in 0..<rankLimit {
            let length = table.length(of: Rank(rank))
            guard length > 0 else { continue }
            totalBytes += length
            if length == 1 {
                reachable[rank] = true
                continue
            }
            let result = table.withBytes(of: Rank(rank)) { BacktrackingIndex.ownMerge(merger, $0.baseAddress!, $0.count) }!
            if result.whole == Rank(rank) {
                reachable[rank] = true
                splitLeft[rank] = UInt64(result.left) | UInt64(table.length(of: result.left)) << 32
                splitRight[rank] = UInt64(result.right) | UInt64(table.length(of: result.right)) << 32
                if !result.monotone { nonMonotone.append(Rank(rank)) }
            } else {
                unreachable += 1
            }
        }

        // 2. The trie of reachable tokens: edges into nodes of depth 3 and more in a map.
        var tokens = [Rank](repeating: RankTable.noRank, count: 257)
        for byte in 0..<256 { tokens[1 + byte] = table.byteRanks[byte] }
        var depthTwo = [UInt32](repeating: BacktrackingIndex.noNode, count: 65536)
        var edges = [UInt64: UInt32]()
        edges.reserveCapacity(totalBytes / 2)
        for rank in 0..<rankLimit where reachable[rank] && table.length(of: Rank(rank)) > 1 {
            table.withBytes(of: Rank(rank)) { bytes in
                let pair = Int(bytes[0]) | Int(bytes[1]) << 8
                if depthTwo[pair] == BacktrackingIndex.noNode {
                    depthTwo[pair] = UInt32(tokens.count)
                    tokens.append(RankTable.noRank)
                }
                var node = Int(depthTwo[pair])
                for i in 2..<bytes.count {
                    let key = UInt64(node) << 8 | UInt64(bytes[i])
                    if let child = edges[key] {
                        node = Int(child)
                    } else {
                        edges[key] = UInt32(tokens.count)
                        node = tokens.count
                        tokens.append(RankTable.noRank)
                    }
                }
                tokens[node] = Rank(rank)
            }
        }

        // 3. Each token's longest reachable proper prefix.
        for rank in 0..<rankLimit where reachable[rank] && table.length(of: Rank(rank)) > 1 {
            table.withBytes(of: Rank(rank)) { bytes in
                var node = 1 + Int(bytes[0])
                var best = tokens[node]
                if bytes.count > 2 {
                    node = Int(depthTwo[Int(bytes[0]) | Int(bytes[1]) << 8])
                    if tokens[node] != RankTable.noRank { best = tokens[node] }
                    for i in 2..<(bytes.count - 1) {
                        node = Int(edges[UInt64(node) << 8 | UInt64(bytes[i])]!)
                        if tokens[node] != RankTable.noRank { best = tokens[node] }
                    }
                }
                nextPrefix[rank] = best
            }
        }

        // 4. Everything into one block.
        var slotCount = 1024
        while 3 * slotCount < 4 * edges.count { slotCount <<= 1 }  // load factor at most 3/4
        let layout = Layout(rankLimit: rankLimit, nodeCount: tokens.count, slotCount: slotCount)
        let storage = FileBytes.allocateTable(byteCount: layout.byteCount)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        self.init(storage: storage, offset: 0, layout: layout, isExact: nonMonotone.isEmpty, unreachableCount: unreachable)
        _ = self.splitLeft.initialize(from: splitLeft)
        _ = self.splitRight.initialize(from: splitRight)
        _ = self.nextPrefix.initialize(from: nextPrefix)
        _ = self.nodeToken.initialize(from: tokens)
        for rank in nonMonotone { self.nonMonotone[Int(rank >> 6)] |= 1 << UInt64(rank & 63) }
        for pair in 0..<65536 {
            self.depthTwo[pair] = UInt64(depthTwo[pair]) | UInt64(table.short.pairs[pair]) << 32
        }
        slots.initialize(repeating: BacktrackingIndex.emptySlot)
        let mask = slotCount - 1
        for (key, child) in edges {
            var index = BacktrackingIndex.index(key, shift)
            while slots[index] != BacktrackingIndex.emptySlot { index = (index + 1) & mask }
            slots[index] = key << 32 | UInt64(child)
        }
    }

    deinit {
        storage.deallocate()
    }

    @inline(__always)
    static func index(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The child of `node` along `byte`, or -1.
    @inline(__always)
    func child(_ node: Int, _ byte: UInt8) -> Int {
        let key = UInt64(node) << 8 | UInt64(byte)
        let mask = slots.count - 1
        var index = BacktrackingIndex.index(key, shift)
        let base = slots.baseAddress!
        while true {
            let slot = base[index]
            if slot == BacktrackingIndex.emptySlot { return -1 }
            if slot >> 32 == key { return Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) }
            index = (index + 1) & mask
        }
    }

    /// Whether `rank` (a token of the vocabulary) is monotone, or not reachable.
    @inline(__always)
    func isMonotone(_ rank: Rank) -> Bool {
        nonMonotone[Int(rank >> 6)] & (1 << UInt64(rank & 63)) == 0
    }

    /// The left part of `rank`'s split, `noRank` when it has none.
    func left(of rank: Rank) -> Rank { Rank(truncatingIfNeeded: splitLeft[Int(rank)]) }
    /// The right part of `rank`'s split, `noRank` when it has none.
    func right(of rank: Rank) -> Rank { Rank(truncatingIfNeeded: splitRight[Int(rank)]) }

    /// The longest reachable token at the start of the `count` (≥ 1) bytes at `p`, and its length.
    /// - Complexity: O(length of the longest token).
    @inline(__always)
    func longestToken(_ p: UnsafePointer<UInt8>, _ count: Int) -> (token: Rank, length: Int) {
        let tokens = nodeToken.baseAddress!
        let single = tokens[1 + Int(p[0])]
        if count < 2 { return (single, 1) }
        let two = depthTwo[Int(p[0]) | Int(p[1]) << 8]
        var best = (token: single, length: 1)
        let pairRank = Rank(truncatingIfNeeded: two >> 32)
        if pairRank != RankTable.noRank { best = (pairRank, 2) }
        let first = UInt32(truncatingIfNeeded: two)
        if first == BacktrackingIndex.noNode { return best }
        var node = Int(first)
        var i = 2
        while i < count {
            node = child(node, p[i])
            if node < 0 { break }
            i += 1
            let token = tokens[node]
            if token != RankTable.noRank { best = (token, i) }
        }
        return best
    }

    /// Merges a token's own bytes with tiktoken's rule, noting the last merge and whether the
    /// merge ranks never decrease. `whole` is the single resulting token, or `noRank` when the
    /// bytes end as several parts.
    static func ownMerge(_ merger: BytePairMerger, _ piece: UnsafePointer<UInt8>, _ count: Int)
        -> (whole: Rank, left: Rank, right: Rank, monotone: Bool) {
        var left = RankTable.noRank, right = RankTable.noRank
        var previous: Rank = 0
        var monotone = true
        let whole = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: BytePairMerger.mergeScratchWords(count)) { buffer in
            let (tokens, next) = merger.rescanMerge(piece, count, scratch: buffer.baseAddress!) { best, parts, first, second in
                if best < previous { monotone = false }
                previous = best
                if parts == 2 { (left, right) = (first, second) }
            }
            return next[0] == UInt32(count) ? tokens[0] : RankTable.noRank
        }
        return (whole, left, right, monotone)
    }
}
