/// Finds special-token text (`<|endoftext|>`, …) in bytes: a first-byte filter and a filter of
/// the first two bytes, then one probe of a small open-addressing table per distinct token length,
/// preferring the longest token at a position. A few kilobytes even for o200k_harmony's 1,088
/// names. (The two-byte filter matters where a token's first byte is common in text: DeepSeek's
/// 1,283 added tokens of 28 lengths start with `<` or with 0xEF, the lead byte of fullwidth
/// punctuation; only `<｜` and `｜` begin one.)
struct SpecialTokenMatcher: Sendable {
    /// Special tokens in a fixed order (by id, then name); matches name an index here.
    let names: [String]
    let ids: [Rank]
    /// The names' bytes back to back, and where each one is.
    private let bytes: [UInt8]
    private let spans: [ArenaSpan]
    /// Indices into `names` by hash of the name's bytes (``RankTable/hash(_:_:)``), -1 when empty;
    /// a power of two, at most half full, linear probing.
    private let slots: [Int32]
    private let firstBytes: [Bool]
    /// Bit `b0 | b1 << 8` set when a name of two or more bytes starts with `b0 b1` (8 KiB).
    private let firstPairs: [UInt64]
    /// Whether some name is the one byte `b`.
    private let singleBytes: [Bool]
    /// When the names start with at most four distinct bytes: each of them in all eight bytes of
    /// a word, so the scan skips eight bytes at a time (none otherwise).
    private let firstByteWords: [UInt64]
    private let lengths: [Int]  // distinct, longest first

    /// - Precondition: no name is empty (``Encoding`` refuses those first).
    init(_ specialTokens: [String: Rank]) {
        self.init(sorted: specialTokens.map { ($0.key, $0.value) }.sorted(by: SpecialTokenMatcher.precedes))
    }

    /// The order of ``names``: by id, then by the text's bytes.
    static func precedes(_ a: (String, Rank), _ b: (String, Rank)) -> Bool {
        a.1 != b.1 ? a.1 < b.1 : a.0.utf8.lexicographicallyPrecedes(b.0.utf8)
    }

    /// A matcher of `sorted`, which is in ``precedes(_:_:)`` order.
    init(sorted: [(String, Rank)]) {
        names = sorted.map(\.0)
        ids = sorted.map(\.1)
        var first = [Bool](repeating: false, count: 256), singles = first
        var pairs = [UInt64](repeating: 0, count: 1024)
        var lengthSet = Set<Int>()
        var bytes = [UInt8]()
        var spans = [ArenaSpan]()
        for name in names {
            precondition(!name.utf8.isEmpty, "a special token needs text")
            let utf8 = Array(name.utf8)
            first[Int(utf8[0])] = true
            if utf8.count == 1 {
                singles[Int(utf8[0])] = true
            } else {
                let pair = Int(utf8[0]) | Int(utf8[1]) << 8
                pairs[pair >> 6] |= 1 << UInt64(pair & 63)
            }
            lengthSet.insert(name.utf8.count)
            spans.append(ArenaSpan(offset: bytes.count, length: name.utf8.count))
            bytes.append(contentsOf: name.utf8)
        }
        var capacity = 16
        while capacity < 2 * names.count { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        bytes.withUnsafeBufferPointer { buffer in
            for (index, span) in spans.enumerated() {
                var slot = Int(truncatingIfNeeded: RankTable.hash(buffer.baseAddress! + span.offset, span.length)) & (capacity - 1)
                while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
                slots[slot] = Int32(index)
            }
        }
        firstBytes = first
        let starts = (0..<256).filter { first[$0] }
        firstByteWords = starts.count <= 4 ? starts.map { UInt64($0) &* 0x0101_0101_0101_0101 } : []
        firstPairs = pairs
        singleBytes = singles
        lengths = lengthSet.sorted(by: >)
        self.bytes = bytes
        self.spans = spans
        self.slots = slots
    }

    var isEmpty: Bool { names.isEmpty }

    /// The first special token in `text` at or after `start`: its byte range and index in `names`.
    /// - Complexity: O(n · k) for n bytes scanned and k distinct token lengths at candidate bytes.
    @inline(__always)
    func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> (range: Range<Int>, index: Int)? {
        guard !names.isEmpty, let base = text.baseAddress else { return nil }
        var i = start
        let end = text.count
        while i < end {
            if !firstByteWords.isEmpty {
                // Eight bytes at a time to the next byte that starts a name (a zero byte of
                // `word ^ pattern`: the lowest flagged byte of the bit trick is exact).
                while i + 8 <= end {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    var found: UInt64 = 0
                    for pattern in firstByteWords {
                        let x = word ^ pattern
                        found |= (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
                    }
                    if found != 0 {
                        i += found.trailingZeroBitCount >> 3
                        break
                    }
                    i += 8
                }
                if i >= end { break }
            }
            let b0 = Int(base[i])
            if firstBytes[b0] {
                let pair = i + 1 < end ? b0 | Int(base[i + 1]) << 8 : -1
                if pair >= 0, firstPairs[pair >> 6] & 1 << UInt64(pair & 63) != 0 {
                    for length in lengths where i + length <= end {
                        if let index = index(of: base + i, length) { return (i..<(i + length), index) }
                    }
                } else if singleBytes[b0], let index = index(of: base + i, 1) {
                    return (i..<(i + 1), index)
                }
            }
            i += 1
        }
        return nil
    }

    /// The index of the name spelled by the `length` bytes at `key`, or nil.
    private func index(of key: UnsafePointer<UInt8>, _ length: Int) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: RankTable.hash(key, length)) & mask
        return bytes.withUnsafeBufferPointer { names -> Int? in
            while true {
                let index = Int(slots[slot])
                if index < 0 { return nil }
                let span = spans[index]
                if span.length == length, POSIX.equal(names.baseAddress! + span.offset, key, count: length) { return index }
                slot = (slot + 1) & mask
            }
        }
    }
}
