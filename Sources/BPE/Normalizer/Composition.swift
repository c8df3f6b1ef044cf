/// Unicode normalization forms C and KC on UTF-8 bytes, with the tables of ``NormalizationTables``
/// (Python's `unicodedata`, so equal to `unicodedata.normalize("NFC" or "NFKC", text)` of the
/// Python that wrote them). The two forms differ only in the decompositions they start from
/// (canonical, or compatibility) and so in which scalars are stable.
///
/// Definitions: a scalar is *stable* when it is not in `NormalizationTables.unstable` (for NFKC,
/// `unstableKC`) — its combining class is 0, the form leaves it alone, and it is never the second
/// scalar of a composition. A mark that the form leaves alone and that is never the second of a
/// composition is *quick-check Yes* (NFC_Quick_Check=Yes, a non-zero class). Invariants: nothing
/// before a stable scalar composes or reorders with anything from it on, so the form of a text is
/// the form of each *segment* that runs from a stable scalar to the next; a text whose other
/// scalars are all quick-check Yes marks, each run of them in order of class, is already normal
/// (Unicode's quick check, UAX #15) — and so is one where a scalar whose check is Maybe has no
/// decomposition and no composite with the last starter, that starter does not decompose (else
/// the Maybe scalar is a starter right after it), and the marks stay in order: nothing in it can
/// join, split or move. Algorithm: find the first scalar that fails the quick check;
/// copy everything before the stable scalar preceding it; decompose the segment (Hangul syllables
/// by arithmetic), order marks by combining class (stable), and compose (Unicode's canonical
/// composition algorithm); go on checking from the next stable scalar.
///
/// Example (a test): `"e\u{301}"` is one unstable mark after a stable `e`: it composes to `"é"`,
/// while `"x\u{301}"` is already normal (no composite of `x` and the accent);
/// `"\u{1100}\u{1161}\u{11A8}"` (Hangul jamo) composes to `"각"`; under NFKC, `"ﬁ"` is `"fi"`.
struct Composition: Sendable {
    /// NFC, as Python 3.11 applies it (Qwen's reference).
    static let nfc = Composition(compatibility: false)
    /// NFC as Hugging Face tokenizers applies it: the marks whose class its Unicode 9.0 tables do
    /// not have (`NormalizationTables.huggingFaceUnknownMarks`) are class-0 scalars it leaves alone.
    static let huggingFaceNFC = Composition(compatibility: false, leavingAlone: NormalizationTables.huggingFaceUnknownMarks)
    /// NFKC, as Hugging Face tokenizers applies it (the only reference that uses it): without the
    /// compatibility mappings and the mark classes its tables do not have.
    static let nfkc = Composition(compatibility: true, leavingAlone: NormalizationTables.huggingFaceUnknownMarks)

    /// One bit per scalar: set when it is not stable.
    private let unstableBits: [UInt64]
    /// One bit per scalar: set when its NFC quick check is No or Maybe.
    private let notYesBits: [UInt64]
    /// The smallest unstable scalar: every scalar below it is stable.
    let firstUnstable: UInt32
    /// The quick check's answer for each scalar below U+10000, a byte each: 0 for a stable scalar,
    /// its combining class for a mark whose quick check is Yes, ``checkInFull`` for any other
    /// (which the quick check then decides from the tables below): a character of any script in
    /// the BMP costs a decode and one load.
    private let bmpKinds: [UInt8]
    private static let checkInFull: UInt8 = 0xFF
    /// Canonical combining classes, two-level: `classBlocks[classIndex[scalar >> 8] << 8 | scalar & 0xFF]`
    /// (block 0 is all zeros, shared by every block without marks).
    private let classIndex: [UInt16]
    private let classBlocks: [UInt8]
    /// Scalar → its decomposition's range in `decompositionStorage`.
    private let decompositions: [UInt32: Range<Int>]
    private let decompositionStorage: [UInt32]
    /// (first << 21 | second) → composite.
    private let compositions: [UInt64: UInt32]
    /// One bit per scalar: set when it is the first of some composition (Hangul leading jamo and
    /// syllables included), so a scalar after one that is not can compose with nothing.
    private let firstBits: [UInt64]
    /// One bit per scalar: set for a scalar whose quick check is Maybe that has no decomposition
    /// (a vowel sign such as Bengali's U+09BE, a Hangul vowel or trailing jamo, an accent such as
    /// U+0301, Devanagari's nukta): it changes nothing unless it composes with the last starter.
    private let passableBits: [UInt64]
    /// One bit per scalar: set when the form decomposes it (Hangul syllables included): marks
    /// after such a starter may reorder with its own and compose differently.
    private let decomposableBits: [UInt64]

    /// - Parameter leftAlone: inclusive runs of marks to treat as stable scalars of class 0 (ones
    ///   the reference's older tables do not have): no decomposition, composition or class.
    private init(compatibility: Bool, leavingAlone leftAlone: [UInt32] = []) {
        func bits(_ runs: [UInt32]) -> [UInt64] {
            var bits = [UInt64](repeating: 0, count: 0x110000 / 64)
            for i in stride(from: 0, to: runs.count, by: 2) {
                for scalar in runs[i]...runs[i + 1] { bits[Int(scalar >> 6)] |= 1 << (scalar & 63) }
            }
            return bits
        }
        let leftAloneBits = bits(leftAlone)
        func isLeftAlone(_ scalar: UInt32) -> Bool { leftAloneBits[Int(scalar >> 6)] & (1 << (scalar & 63)) != 0 }
        let unstable = compatibility ? NormalizationTables.unstableKC : NormalizationTables.unstable
        unstableBits = zip(bits(unstable), leftAloneBits).map { $0 & ~$1 }
        notYesBits = zip(bits(compatibility ? NormalizationTables.quickCheckNotYesKC : NormalizationTables.quickCheckNotYes),
                         leftAloneBits).map { $0 & ~$1 }
        firstUnstable = unstable[0]  // U+0300 (NFKC: U+00A0), below every mark left alone
        var index = [UInt16](repeating: 0, count: 0x110000 >> 8)
        var classes = [UInt8](repeating: 0, count: 256)
        let classRuns = NormalizationTables.combiningClasses
        for i in stride(from: 0, to: classRuns.count, by: 3) {
            for scalar in classRuns[i]...classRuns[i + 1] where !isLeftAlone(scalar) {
                let high = Int(scalar >> 8)
                if index[high] == 0 {
                    index[high] = UInt16(classes.count >> 8)
                    classes += [UInt8](repeating: 0, count: 256)
                }
                classes[Int(index[high]) << 8 | Int(scalar & 0xFF)] = UInt8(classRuns[i + 2])
            }
        }
        classIndex = index
        classBlocks = classes
        // Canonical decompositions, then (for NFKC) the compatibility ones in their place.
        let flat = NormalizationTables.decompositions + (compatibility ? NormalizationTables.compatibilityDecompositions : [])
        var decompositions = [UInt32: Range<Int>]()
        var i = 0
        while i < flat.count {
            let count = Int(flat[i + 1])
            if !isLeftAlone(flat[i]) { decompositions[flat[i]] = (i + 2)..<(i + 2 + count) }
            i += 2 + count
        }
        self.decompositions = decompositions
        decompositionStorage = flat
        var compositions = [UInt64: UInt32]()
        var firsts = bits([Composition.leadBase, Composition.leadBase + 18,
                           Composition.hangulBase, Composition.hangulBase + Composition.hangulCount - 1])
        var seconds = bits([Composition.vowelBase, Composition.vowelBase + Composition.vowelCount - 1,
                            Composition.trailBase + 1, Composition.trailBase + Composition.trailCount - 1])
        let triples = NormalizationTables.compositions
        for i in stride(from: 0, to: triples.count, by: 3)
        where !isLeftAlone(triples[i]) && !isLeftAlone(triples[i + 1]) && !isLeftAlone(triples[i + 2]) {
            compositions[UInt64(triples[i]) << 21 | UInt64(triples[i + 1])] = triples[i + 2]
            firsts[Int(triples[i] >> 6)] |= 1 << (triples[i] & 63)
            seconds[Int(triples[i + 1] >> 6)] |= 1 << (triples[i + 1] & 63)
        }
        self.compositions = compositions
        firstBits = firsts
        var decomposable = bits([Composition.hangulBase, Composition.hangulBase + Composition.hangulCount - 1])
        for scalar in decompositions.keys { decomposable[Int(scalar >> 6)] |= 1 << (scalar & 63) }
        decomposableBits = decomposable
        let unstableBits = self.unstableBits, notYesBits = self.notYesBits
        passableBits = notYesBits.indices.map { notYesBits[$0] & seconds[$0] & ~decomposable[$0] }
        bmpKinds = (0..<UInt32(0x10000)).map { scalar in
            let bit: UInt64 = 1 << (scalar & 63)
            if unstableBits[Int(scalar >> 6)] & bit == 0 { return 0 }
            let markClass = classes[Int(index[Int(scalar >> 8)]) << 8 | Int(scalar & 0xFF)]
            return notYesBits[Int(scalar >> 6)] & bit != 0 || markClass == 0 ? Composition.checkInFull : markClass
        }
    }

    @inline(__always)
    func isStable(_ scalar: UInt32) -> Bool {
        scalar < firstUnstable || unstableBits[Int(scalar >> 6)] & (1 << (scalar & 63)) == 0
    }

    /// The byte offset of the first scalar of `text` (valid UTF-8) that fails the form's quick check —
    /// quick check No or Maybe, or a mark of a lower class than the mark before it — from `start`,
    /// which is a stable scalar's offset or the end; nil when there is none and `text` is Composition.
    /// - Complexity: O(n); ASCII costs one compare per eight bytes, other characters below U+10000
    /// a table look-up.
    func quickCheckFailure(_ text: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        bmpKinds.withUnsafeBufferPointer { kinds in quickCheckFailure(text, from: start, kinds: kinds) }
    }

    @inline(__always)
    private func quickCheckFailure(_ text: UnsafeBufferPointer<UInt8>, from start: Int, kinds: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = start
        let n = text.count
        var lastClass: UInt8 = 0
        // The last starter, when it was decoded and only marks came after it (else nil).
        var starter: UInt32?
        while i < n {
            let lead = text[i]
            if lead < 0x80 {
                // ASCII, then eight bytes at a time to the first byte that is not (the lowest
                // high bit of a word is its first non-ASCII byte: loads are little-endian).
                i += 1
                while i &+ 8 <= n {
                    let high = UnsafeRawPointer(text.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080
                    if high != 0 {
                        i &+= high.trailingZeroBitCount &>> 3
                        break
                    }
                    i &+= 8
                }
                lastClass = 0
                starter = UInt32(text[i &- 1])
                continue
            }
            // Text is valid UTF-8: a lead byte below 0xF0 starts a scalar below U+10000.
            let scalar: UInt32, length: Int
            if lead < 0xF0 {
                if lead < 0xE0 {
                    scalar = UInt32(lead & 0x1F) << 6 | UInt32(text[i &+ 1] & 0x3F)
                    length = 2
                } else {
                    scalar = UInt32(lead & 0x0F) << 12 | UInt32(text[i &+ 1] & 0x3F) << 6 | UInt32(text[i &+ 2] & 0x3F)
                    length = 3
                }
                let kind = kinds[Int(scalar)]
                if kind == 0 {
                    lastClass = 0
                    starter = scalar
                    i &+= length
                    continue
                }
                if kind != Composition.checkInFull {
                    if kind < lastClass { return i }
                    lastClass = kind
                    i &+= length
                    continue
                }
            } else {
                (scalar, length) = Composition.decode(text, i)
            }
            if isStable(scalar) {
                lastClass = 0
                starter = scalar
            } else {
                let currentClass = combiningClass(scalar)
                if currentClass != 0, currentClass < lastClass { return i }
                if notYesBits[Int(scalar >> 6)] & (1 << (scalar & 63)) != 0 {
                    // Quick check Maybe (a vowel sign such as Bengali's U+09BE, an accent, a
                    // nukta): it can only join the last starter, so it changes nothing when it has
                    // no decomposition of its own and that pair has no composite — and, unless it
                    // is a starter right after the last, when that starter does not decompose
                    // (`Å` then a dot below: the dot goes before the ring and joins the `A`).
                    guard passableBits[Int(scalar >> 6)] & (1 << (scalar & 63)) != 0, let previous = starter,
                          lastClass == 0 && currentClass == 0 || decomposableBits[Int(previous >> 6)] & (1 << (previous & 63)) == 0,
                          firstBits[Int(previous >> 6)] & (1 << (previous & 63)) == 0 || composite(previous, scalar) == nil
                    else { return i }
                }
                lastClass = currentClass
                if currentClass == 0 { starter = scalar }
            }
            i += length
        }
        return nil
    }

    /// The normal form of `text` (valid UTF-8), or nil when `text` is already normal (so normalising
    /// the result again gives nil).
    func normalize(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard var unstable = quickCheckFailure(text) else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(text.count + 16)
        var copied = 0
        var segment = [UInt32]()
        while true {
            // Back to the stable scalar before the failing one (the segment's start).
            var start = unstable
            while start > copied {
                var back = start - 1
                while back > copied, text[back] & 0xC0 == 0x80 { back -= 1 }
                start = back
                if isStable(Composition.decode(text, back).value) { break }
            }
            output.append(contentsOf: text[copied..<start])
            // The segment runs to the next stable scalar.
            var end = start
            segment.removeAll(keepingCapacity: true)
            while end < text.count {
                let (scalar, length) = Composition.decode(text, end)
                if end > unstable, isStable(scalar) { break }
                decompose(scalar, into: &segment)
                end += length
            }
            orderMarks(&segment)
            compose(&segment)
            for scalar in segment { Composition.appendUTF8(scalar, to: &output) }
            copied = end
            guard let next = quickCheckFailure(text, from: end) else { break }
            unstable = next
        }
        output.append(contentsOf: text[copied...])
        // A scalar whose quick check is Maybe may stay as it was (`x` and an acute accent).
        let unchanged = output.count == text.count && output.withUnsafeBufferPointer { $0.elementsEqual(text) }
        return unchanged ? nil : output
    }

    @inline(__always)
    func combiningClass(_ scalar: UInt32) -> UInt8 {
        scalar < firstUnstable ? 0 : classBlocks[Int(classIndex[Int(scalar >> 8)]) << 8 | Int(scalar & 0xFF)]
    }

    // MARK: - The three steps

    private static let hangulBase: UInt32 = 0xAC00, hangulCount: UInt32 = 11_172
    private static let leadBase: UInt32 = 0x1100, vowelBase: UInt32 = 0x1161, trailBase: UInt32 = 0x11A7
    private static let vowelCount: UInt32 = 21, trailCount: UInt32 = 28

    private func decompose(_ scalar: UInt32, into out: inout [UInt32]) {
        let s = scalar &- Composition.hangulBase
        if s < Composition.hangulCount {
            out.append(Composition.leadBase + s / (Composition.vowelCount * Composition.trailCount))
            out.append(Composition.vowelBase + (s % (Composition.vowelCount * Composition.trailCount)) / Composition.trailCount)
            if s % Composition.trailCount != 0 { out.append(Composition.trailBase + s % Composition.trailCount) }
        } else if let range = decompositions[scalar] {
            out.append(contentsOf: decompositionStorage[range])
        } else {
            out.append(scalar)
        }
    }

    /// Canonical ordering: each run of non-zero combining classes sorted by class, stably.
    private func orderMarks(_ scalars: inout [UInt32]) {
        guard scalars.count > 1 else { return }
        for i in 1..<scalars.count {
            let current = scalars[i], currentClass = combiningClass(current)
            guard currentClass != 0 else { continue }
            var j = i
            while j > 0 {
                let previousClass = combiningClass(scalars[j - 1])
                guard previousClass > currentClass else { break }
                scalars[j] = scalars[j - 1]
                j -= 1
            }
            scalars[j] = current
        }
    }

    private func composite(_ first: UInt32, _ second: UInt32) -> UInt32? {
        let l = first &- Composition.leadBase, v = second &- Composition.vowelBase
        if l < 19, v < Composition.vowelCount {
            return Composition.hangulBase + (l * Composition.vowelCount + v) * Composition.trailCount
        }
        let s = first &- Composition.hangulBase, t = second &- Composition.trailBase
        if s < Composition.hangulCount, s % Composition.trailCount == 0, t > 0, t < Composition.trailCount {
            return first + t
        }
        return compositions[UInt64(first) << 21 | UInt64(second)]
    }

    /// Canonical composition: a scalar joins the last starter when nothing between blocks it
    /// (no starter, no mark of the same or a higher class).
    private func compose(_ scalars: inout [UInt32]) {
        var result = [UInt32]()
        result.reserveCapacity(scalars.count)
        var starter = -1
        var lastClass: UInt8 = 0
        for scalar in scalars {
            let currentClass = combiningClass(scalar)
            if starter >= 0 {
                let adjacent = result.count - 1 == starter
                if adjacent || (lastClass != 0 && lastClass < currentClass),
                   let joined = composite(result[starter], scalar) {
                    result[starter] = joined
                    continue
                }
            }
            if currentClass == 0 { starter = result.count }
            result.append(scalar)
            lastClass = currentClass
        }
        scalars = result
    }

    // MARK: - UTF-8

    @inline(__always)
    static func decode(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(text[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6
                | UInt32(text[i + 3] & 0x3F), 4)
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80: out.append(UInt8(scalar))
        case ..<0x800: out.append(contentsOf: [UInt8(0xC0 | scalar >> 6), UInt8(0x80 | scalar & 0x3F)])
        case ..<0x10000:
            out.append(contentsOf: [UInt8(0xE0 | scalar >> 12), UInt8(0x80 | scalar >> 6 & 0x3F), UInt8(0x80 | scalar & 0x3F)])
        default:
            out.append(contentsOf: [UInt8(0xF0 | scalar >> 18), UInt8(0x80 | scalar >> 12 & 0x3F),
                                    UInt8(0x80 | scalar >> 6 & 0x3F), UInt8(0x80 | scalar & 0x3F)])
        }
    }
}
