#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with POSIX calls (no Foundation on the load path).
enum FileBytes {
    static func read(_ path: String) throws(VocabularyError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw VocabularyError(file: path, problem: .unreadable(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw VocabularyError(file: path, problem: .unreadable(String(cString: strerror(errno)))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw VocabularyError(file: path, problem: .unreadable("not a regular file")) }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, size - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw VocabularyError(file: path, problem: .unreadable(String(cString: strerror(errno))))
            }
            if n == 0 { break }
            done += n
        }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }

    /// The whole file in a new 8-byte-aligned allocation the caller owns, or nil.
    static func readRaw(_ path: String) -> UnsafeMutableRawBufferPointer? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        let buffer = allocateTable(byteCount: max(size, 1))
        var done = 0
        while done < size {
            let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        guard done == size else { buffer.deallocate(); return nil }
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size])
    }

    /// Memory for a lookup table: tables of 2 MiB or more are aligned to 2 MiB and the kernel is
    /// asked to back them with huge pages (`MADV_HUGEPAGE`; a hint, ignored where unsupported).
    /// Lookups jump at random across several megabytes, and with 4 KiB pages most of them would
    /// also miss the TLB. Freed with `deallocate()` like any other allocation.
    static func allocateTable(byteCount: Int) -> UnsafeMutableRawBufferPointer {
        let hugePage = 2 << 20
        guard byteCount >= hugePage else { return .allocate(byteCount: byteCount, alignment: 8) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: byteCount, alignment: hugePage)
        #if os(Linux)
        _ = madvise(buffer.baseAddress!, byteCount & ~(hugePage - 1), MADV_HUGEPAGE)
        #endif
        return buffer
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Writes `bytes` to `path` through a temporary file and a rename, so readers never see a
    /// partial file. Returns false on any failure (callers treat their files as optional).
    @discardableResult
    static func writeAtomically(_ bytes: UnsafeRawBufferPointer, to path: String) -> Bool {
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        var written = 0
        var ok = true
        while written < bytes.count {
            let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { ok = false; break }
            written += n
        }
        close(fd)
        if !ok || rename(temporary, path) != 0 {
            unlink(temporary)
            return false
        }
        return true
    }
}
