/// A blocked Bloom filter: each key sets two bits of one 64-bit word, so a probe reads one word
/// (one cache line) and a miss almost always stops there, before the table behind the filter is
/// touched. It answers "maybe" wrongly at a rate that depends on how full the words are, and never
/// "no" wrongly, so every user treats "maybe" as "look it up" and stays exact.
///
/// The three filters of the library (long keys in ``RankTable``, keys of three to eight bytes in
/// ``ShortKeyTable``, character-boundary witnesses in `BytePairMerger+CharacterCuts.swift`) each
/// derive a ``Key`` from their own hash, with the bits they leave free for it.
struct BlockedBloomFilter {
    /// Where a key lives: one word, two bits in it.
    struct Key {
        let word: Int
        let bits: UInt64

        /// The key for hash `h` in `word`: the bits at `h >> firstShift` and `h >> secondShift`
        /// (mod 64).
        @inline(__always)
        init(word: Int, hash h: UInt64, firstShift: UInt64, secondShift: UInt64) {
            self.word = word
            bits = 1 &<< ((h &>> firstShift) & 63) | 1 &<< ((h &>> secondShift) & 63)
        }
    }

    /// The filter's words (owned by whoever allocated them: a table, or a cache file's memory).
    let words: UnsafeMutableBufferPointer<UInt64>

    init(words: UnsafeMutableBufferPointer<UInt64>) {
        self.words = words
    }

    /// A new empty filter of `count` words.
    static func allocate(words count: Int) -> BlockedBloomFilter {
        let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
        words.initialize(repeating: 0)
        return BlockedBloomFilter(words: words)
    }

    @inline(__always)
    func insert(_ key: Key) {
        assert(key.word >= 0 && key.word < words.count)
        words[key.word] |= key.bits
    }

    /// False when the key was certainly never inserted.
    @inline(__always)
    func mayContain(_ key: Key) -> Bool {
        assert(key.word >= 0 && key.word < words.count)
        return words[key.word] & key.bits == key.bits
    }

    func deallocate() { words.deallocate() }
}
