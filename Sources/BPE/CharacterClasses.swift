/// Per-scalar class flags for the built-in patterns, from tiktoken's Unicode tables
/// (``UnicodeClasses``): one byte per scalar value, built once per process (~1.1 MB).
struct CharacterClasses: @unchecked Sendable {
    static let letter: UInt8 = 1        // \p{L}
    static let number: UInt8 = 2        // \p{N}
    static let space: UInt8 = 4         // \s (White_Space)
    static let upper: UInt8 = 8         // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
    static let lower: UInt8 = 16        // [\p{Ll}\p{Lm}\p{Lo}\p{M}]

    static let shared = CharacterClasses()

    let flags: UnsafeMutablePointer<UInt8>

    private init() {
        flags = .allocate(capacity: 0x110000)
        flags.initialize(repeating: 0, count: 0x110000)
        func mark(_ name: String, _ bits: UInt8) {
            for range in UnicodeClasses.all[name] ?? [] {
                for v in range { flags[Int(v)] |= bits }
            }
        }
        mark("L", CharacterClasses.letter)
        mark("N", CharacterClasses.number)
        mark("s", CharacterClasses.space)
        for name in ["Lu", "Lt", "Lm", "Lo", "M"] { mark(name, CharacterClasses.upper) }
        for name in ["Ll", "Lm", "Lo", "M"] { mark(name, CharacterClasses.lower) }
    }

    @inline(__always) subscript(scalar: UInt32) -> UInt8 { flags[Int(scalar)] }
}
