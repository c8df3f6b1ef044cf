/// The one binary format behind both kept files, the vocabulary cache (`.bpecache`,
/// ``VocabularyCache``) and the backtracking index (`.bpeindex`, `BacktrackingIndex+File.swift`):
/// an 8-byte magic, little-endian fields and arrays, then a UInt64 ``checksum(_:)`` of everything
/// before it. A file whose magic, size or checksum is off is not read: the caller rebuilds it.
///
/// Both files only save time, so writing is atomic (readers never see a partial file) and a
/// failure to write is not an error.
enum BinaryFile {
    /// A file read whole and checked: its magic and checksum are right.
    ///
    /// The bytes live in one 8-byte-aligned allocation that a table may adopt
    /// (``adopt()``); otherwise ``deallocate()`` frees it.
    struct Reader {
        /// The whole file, checksum included.
        let whole: UnsafeMutableRawBufferPointer
        /// Everything before the checksum.
        let payload: UnsafeRawBufferPointer

        /// The file at `path` when it starts with `magic`, holds at least `minimumSize` bytes
        /// before its checksum and the checksum matches; nil otherwise.
        init?(path: String, magic: [UInt8], minimumSize: Int) {
            assert(magic.count == 8)
            guard let whole = FileBytes.readRaw(path) else { return nil }
            guard whole.count >= minimumSize + 8, minimumSize >= 8 else {
                whole.deallocate()
                return nil
            }
            let payload = UnsafeRawBufferPointer(rebasing: whole[0..<(whole.count - 8)])
            let stored = UInt64(littleEndian: whole.loadUnaligned(fromByteOffset: payload.count, as: UInt64.self))
            guard payload.prefix(8).elementsEqual(magic), BinaryFile.checksum(payload) == stored else {
                whole.deallocate()
                return nil
            }
            self.whole = whole
            self.payload = payload
        }

        /// The little-endian UInt64 at `offset`.
        @inline(__always)
        func u64(_ offset: Int) -> UInt64 {
            assert(offset >= 0 && offset + 8 <= payload.count)
            return UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }

        /// ``u64(_:)`` as an `Int` (values out of range are caught by the caller's checks).
        @inline(__always)
        func int(_ offset: Int) -> Int { Int(truncatingIfNeeded: u64(offset)) }

        /// The little-endian UInt32 at `offset`.
        @inline(__always)
        func u32(_ offset: Int) -> UInt32 {
            assert(offset >= 0 && offset + 4 <= payload.count)
            return UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        }

        /// The bytes `range` as text (a hex digest, say).
        func string(_ range: Range<Int>) -> String {
            assert(range.lowerBound >= 0 && range.upperBound <= payload.count)
            return String(decoding: payload[range], as: UTF8.self)
        }

        /// Typed views of consecutive sections from `offset` on (8-byte aligned: the file's
        /// allocation is, and every section before must keep it so).
        func sections(from offset: Int) -> Sections {
            Sections(cursor: whole.baseAddress! + offset, end: whole.baseAddress! + payload.count)
        }

        /// Frees the file's bytes (not when a table adopted them).
        func deallocate() { whole.deallocate() }
    }

    /// Hands out typed views of consecutive sections of a read file.
    struct Sections {
        fileprivate var cursor: UnsafeMutableRawPointer
        fileprivate let end: UnsafeMutableRawPointer

        /// The next `count` values of `T`.
        /// - Precondition: they lie inside the file (the caller checked the file's size).
        mutating func next<T>(_ type: T.Type, _ count: Int) -> UnsafeMutableBufferPointer<T> {
            precondition(count >= 0 && cursor + count * MemoryLayout<T>.stride <= end, "section past the end of the file")
            assert(Int(bitPattern: cursor) % MemoryLayout<T>.alignment == 0)
            defer { cursor += count * MemoryLayout<T>.stride }
            return UnsafeMutableBufferPointer(start: cursor.bindMemory(to: T.self, capacity: count), count: count)
        }
    }

    /// Builds a file in memory: magic, fields, arrays; ``write(to:)`` adds the checksum.
    struct Writer {
        private(set) var bytes: [UInt8]

        init(magic: [UInt8], capacity: Int) {
            assert(magic.count == 8)
            bytes = []
            bytes.reserveCapacity(capacity + 8)
            bytes.append(contentsOf: magic)
        }

        mutating func put(_ value: UInt64) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func put(_ value: Int) { put(UInt64(truncatingIfNeeded: value)) }

        mutating func put(_ value: UInt32) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func put(_ text: String) { bytes.append(contentsOf: text.utf8) }

        /// An array's bytes as they are in memory (little-endian on every platform Swift runs here).
        mutating func put<T>(_ array: UnsafeMutableBufferPointer<T>) {
            bytes.append(contentsOf: UnsafeRawBufferPointer(array))
        }

        mutating func put(_ raw: UnsafeMutableRawBufferPointer) {
            bytes.append(contentsOf: UnsafeRawBufferPointer(raw))
        }

        /// Appends the checksum and writes the file atomically; false on any failure.
        @discardableResult
        mutating func write(to path: String) -> Bool {
            put(bytes.withUnsafeBytes { BinaryFile.checksum($0) })
            return bytes.withUnsafeBytes { POSIX.writeAtomically($0, to: path) }
        }
    }

    /// A 64-bit checksum, four multiply-xor lanes over 8-byte words (the tail byte by byte).
    /// Catches damage and truncation, not tampering.
    /// - Complexity: O(n), one pass.
    static func checksum(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (1, 2, 3, 4)
        var i = 0
        while i + 32 <= raw.count {
            lanes.0 = (lanes.0 ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            lanes.1 = (lanes.1 ^ raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* k
            lanes.2 = (lanes.2 ^ raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* k
            lanes.3 = (lanes.3 ^ raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* k
            lanes.0 ^= lanes.0 >> 31; lanes.1 ^= lanes.1 >> 31; lanes.2 ^= lanes.2 >> 31; lanes.3 ^= lanes.3 >> 31
            i += 32
        }
        var h = lanes.0 ^ (lanes.1 &* 3) ^ (lanes.2 &* 5) ^ (lanes.3 &* 7) ^ UInt64(raw.count)
        while i < raw.count {
            h = (h ^ UInt64(raw[i])) &* k
            i += 1
        }
        return h ^ (h >> 29)
    }
}
