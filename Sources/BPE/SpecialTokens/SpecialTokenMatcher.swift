/// Finds special-token text (`<|endoftext|>`, …) in bytes: a first-byte filter, then one probe of
/// a flat hash table per distinct token length, preferring the longest token at a position.
struct SpecialTokenMatcher: Sendable {
    /// Special tokens in a fixed order; the table maps bytes to an index here.
    let names: [String]
    let ids: [Rank]
    private let table: RankTable?
    private let firstBytes: [Bool]
    private let lengths: [Int]  // distinct, longest first

    init(_ specialTokens: [String: Rank]) {
        let sorted = specialTokens.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }
        names = sorted.map(\.key)
        ids = sorted.map(\.value)
        var first = [Bool](repeating: false, count: 256)
        var lengthSet = Set<Int>()
        var arena = [UInt8]()
        var entries = [(offset: UInt32, length: UInt32, rank: Rank)]()
        for (index, name) in names.enumerated() where !name.utf8.isEmpty {
            first[Int(name.utf8.first!)] = true
            lengthSet.insert(name.utf8.count)
            entries.append((UInt32(arena.count), UInt32(name.utf8.count), Rank(index)))
            arena.append(contentsOf: name.utf8)
        }
        firstBytes = first
        lengths = lengthSet.sorted(by: >)
        let count = names.count
        table = entries.isEmpty ? nil : arena.withUnsafeBytes { bytes in
            entries.withUnsafeBufferPointer { RankTable(arena: bytes, entries: $0, rankLimit: count) }
        }
    }

    var isEmpty: Bool { table == nil }

    /// The first special token in `text` at or after `start`: its byte range and index in `names`.
    /// - Complexity: O(n · k) for n bytes scanned and k distinct token lengths at candidate bytes.
    @inline(__always)
    func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> (range: Range<Int>, index: Int)? {
        guard let table, let base = text.baseAddress else { return nil }
        var i = start
        let end = text.count
        while i < end {
            if firstBytes[Int(base[i])] {
                for length in lengths where i + length <= end {
                    let index = table.rank(base + i, length)
                    if index != RankTable.noRank { return (i..<(i + length), Int(index)) }
                }
            }
            i += 1
        }
        return nil
    }
}
