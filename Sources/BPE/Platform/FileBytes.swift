/// Whole-file reads for the vocabulary and its kept files (no Foundation on the load
/// path), on ``POSIX``.
enum FileBytes {
    /// The whole regular file at `path`.
    /// - Throws: ``VocabularyError`` (`unreadable`) with the system's message.
    static func read(_ path: String) throws(VocabularyError) -> [UInt8] {
        func unreadable(_ reason: String) -> VocabularyError { VocabularyError(file: path, problem: .unreadable(reason)) }
        let fd: Int32
        do { fd = try POSIX.openForReading(path) } catch { throw unreadable(error.message) }
        defer { POSIX.close(fd) }
        guard let status = POSIX.status(fd) else { throw unreadable(POSIX.lastErrorMessage) }
        guard status.isRegular else { throw unreadable("not a regular file") }
        var bytes = [UInt8](repeating: 0, count: status.size)
        var done = 0
        while done < status.size {
            let n = bytes.withUnsafeMutableBytes { POSIX.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[done...])) }
            if n < 0 { throw unreadable(POSIX.lastErrorMessage) }
            if n == 0 { break }
            done += n
        }
        if done < status.size { bytes.removeLast(status.size - done) }
        return bytes
    }

    /// The whole file in a new 8-byte-aligned allocation the caller owns, or nil.
    static func readRaw(_ path: String) -> UnsafeMutableRawBufferPointer? {
        guard let fd = try? POSIX.openForReading(path) else { return nil }
        defer { POSIX.close(fd) }
        guard let status = POSIX.status(fd), status.isRegular else { return nil }
        let size = status.size
        let buffer = allocateTable(byteCount: max(size, 1))
        var done = 0
        while done < size {
            let n = POSIX.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<size]))
            if n <= 0 { break }
            done += n
        }
        guard done == size else { buffer.deallocate(); return nil }
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size])
    }

    /// Memory for a lookup table: tables of 2 MiB or more are aligned to 2 MiB and the kernel is
    /// asked to back them with huge pages. Lookups jump at random across several megabytes, and
    /// with 4 KiB pages most of them would also miss the TLB. Freed with `deallocate()` like any
    /// other allocation.
    static func allocateTable(byteCount: Int) -> UnsafeMutableRawBufferPointer {
        let hugePage = POSIX.hugePage
        guard byteCount >= hugePage else { return .allocate(byteCount: byteCount, alignment: 8) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: hugePage)
        POSIX.adviseHugePages(buffer.baseAddress!, count: byteCount & ~(hugePage - 1))
        return buffer
    }

    /// Whether `path` is a regular file.
    static func exists(_ path: String) -> Bool {
        POSIX.status(path)?.isRegular ?? false
    }
}
