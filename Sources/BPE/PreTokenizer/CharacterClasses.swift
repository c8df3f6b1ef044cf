/// Per-scalar class flags for the built-in patterns, from tiktoken's Unicode tables
/// (``UnicodeClasses``): one byte per scalar value in a two-level table — blocks of 256 scalars,
/// identical blocks stored once (140 blocks, 35 KB, plus a 17 KB index, instead of 1.1 MB, so text
/// that jumps across scripts stays in cache). Built once per process.
struct CharacterClasses: @unchecked Sendable {
    static let letter: UInt8 = 1        // \p{L}
    static let number: UInt8 = 2        // \p{N}
    static let space: UInt8 = 4         // \s (White_Space)
    static let upper: UInt8 = 8         // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
    static let lower: UInt8 = 16        // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
    static let punctuation: UInt8 = 32  // \p{P} (DeepSeek's pipeline)
    static let symbol: UInt8 = 64       // \p{S} (DeepSeek's pipeline)

    static let shared = CharacterClasses()

    /// `blocks[scalar >> 8]` is the offset of the scalar's block in `flags`.
    let blocks: UnsafeMutablePointer<UInt32>
    let flags: UnsafeMutablePointer<UInt8>
    /// The flags of U+0000…U+007F (the first block): ASCII costs one load instead of two.
    let ascii: UnsafePointer<UInt8>

    private init() {
        let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x110000)
        defer { flags.deallocate() }
        flags.initialize(repeating: 0, count: 0x110000)
        func mark(_ name: String, _ bits: UInt8) {
            for range in UnicodeClasses.all[name] ?? [] {
                for v in range { flags[Int(v)] |= bits }
            }
        }
        mark("L", CharacterClasses.letter)
        mark("N", CharacterClasses.number)
        mark("s", CharacterClasses.space)
        mark("P", CharacterClasses.punctuation)
        mark("S", CharacterClasses.symbol)
        for name in ["Lu", "Lt", "Lm", "Lo", "M"] { mark(name, CharacterClasses.upper) }
        for name in ["Ll", "Lm", "Lo", "M"] { mark(name, CharacterClasses.lower) }

        // Identical blocks are found by a 64-bit hash of their words (blocks with the same hash
        // are compared in full), not by hashing 256-byte arrays with SipHash byte by byte.
        blocks = .allocate(capacity: 0x1100)
        var unique = [UInt64: [UInt32]]()
        var stored = [UInt8]()
        stored.reserveCapacity(1 << 16)
        for block in 0..<0x1100 {
            let start = flags + block << 8
            let words = UnsafeRawPointer(start)
            var h: UInt64 = 0
            for i in 0..<32 { h = (h ^ words.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15 }
            let same = unique[h, default: []].first { offset in
                stored.withUnsafeBufferPointer { POSIX.equal($0.baseAddress! + Int(offset), start, count: 256) }
            }
            if let same {
                blocks[block] = same
            } else {
                let offset = UInt32(stored.count)
                unique[h, default: []].append(offset)
                stored.append(contentsOf: UnsafeBufferPointer(start: start, count: 256))
                blocks[block] = offset
            }
        }
        self.flags = .allocate(capacity: stored.count)
        self.flags.initialize(from: stored, count: stored.count)
        ascii = UnsafePointer(self.flags + Int(blocks[0]))
    }

    @inline(__always) subscript(scalar: UInt32) -> UInt8 {
        flags[Int(blocks[Int(scalar >> 8)]) | Int(scalar & 0xFF)]
    }
}

