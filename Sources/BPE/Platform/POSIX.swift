#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating system as the library uses it: the one file that imports the C library.
///
/// Each entry is a thin, typed wrapper: byte counts are `Int`, failures come back as `nil`, a
/// negative count or a ``SystemError`` carrying the system's message, and interrupted calls
/// (`EINTR`) are retried here so no caller has to.
enum POSIX {
    /// Whether `count` bytes at `a` and at `b` are equal.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        memcmp(a, b, count) == 0
    }

    /// The offset of the first `byte` in the `count` bytes at `start`, or nil.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in start: UnsafePointer<UInt8>, count: Int) -> Int? {
        guard count > 0, let found = memchr(start, Int32(byte), count) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(start)
    }

    /// The system's message for the last failed call on this thread.
    static var lastErrorMessage: String { String(cString: strerror(errno)) }

    // MARK: - Files

    /// What `stat` says of a path.
    struct FileStatus: Equatable {
        var isRegular: Bool
        var size: Int
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64
    }

    /// The status of `path` (following links), or nil when it does not exist or cannot be read.
    static func status(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStatus(info)
    }

    /// The status of an open file.
    static func status(_ fd: Int32) -> FileStatus? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return FileStatus(info)
    }

    /// Opens `path` for reading.
    /// - Throws: ``SystemError`` with the system's message.
    static func openForReading(_ path: String) throws(SystemError) -> Int32 {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SystemError(message: lastErrorMessage) }
        return fd
    }

    static func close(_ fd: Int32) {
        _ = closeFile(fd)
    }

    /// Reads up to `buffer.count` bytes: the number read, 0 at the end, -1 on an error (then
    /// ``lastErrorMessage`` says which).
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            let n = readFile(fd, base, buffer.count)
            if n < 0, errno == EINTR { continue }
            return n
        }
    }

    /// ``read(_:into:)`` at `offset` of the file, leaving its position alone (`pread`).
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            let n = pread(fd, base, buffer.count, off_t(offset))
            if n < 0, errno == EINTR { continue }
            return n
        }
    }

    /// Writes all of `bytes` to `path` through a temporary file and a rename, so readers never see
    /// a partial file. Returns false on any failure.
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
        _ = closeFile(fd)
        if !ok || rename(temporary, path) != 0 {
            unlink(temporary)
            return false
        }
        return true
    }

    /// The size of a huge page (x86-64 and arm64 Linux with 4 KiB base pages).
    static let hugePage = 2 << 20

    /// Asks the kernel to back `count` bytes at `start` (2 MiB aligned) with huge pages; a hint,
    /// ignored where unsupported.
    static func adviseHugePages(_ start: UnsafeMutableRawPointer, count: Int) {
        #if os(Linux)
        _ = madvise(start, count, MADV_HUGEPAGE)
        #endif
    }

    /// ``adviseHugePages(_:count:)`` for the whole huge pages inside `count` bytes at `start`
    /// (any alignment): an allocation that came from the C heap, not a mapping of its own.
    static func adviseHugePages(within start: UnsafeMutableRawPointer, count: Int) {
        guard let pages = wholeHugePages(address: Int(bitPattern: start), count: count),
              let aligned = UnsafeMutableRawPointer(bitPattern: pages.lowerBound) else { return }
        adviseHugePages(aligned, count: pages.count)
    }

    /// The addresses of the whole 2 MiB pages inside `count` bytes from `address`, nil for none.
    static func wholeHugePages(address: Int, count: Int) -> Range<Int>? {
        let first = (address + hugePage - 1) & ~(hugePage - 1)
        let end = (address + count) & ~(hugePage - 1)
        return end > first ? first..<end : nil
    }

    // MARK: - Memory

    /// `byteCount` bytes of zeros, mapped from the kernel: each page is cleared when first touched,
    /// not all up front. Nil when the mapping fails. Free with ``unmap(_:byteCount:)``.
    static func mapZeroed(byteCount: Int) -> UnsafeMutableRawPointer? {
        let address = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let address, address != MAP_FAILED else { return nil }
        return address
    }

    /// Unmaps memory from ``mapZeroed(byteCount:)``.
    static func unmap(_ address: UnsafeMutableRawPointer, byteCount: Int) {
        _ = munmap(address, byteCount)
    }

    // MARK: - Process

    /// An environment variable, or nil when it is not set.
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The working directory.
    static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return string(buffer)
    }

    /// The running binary's path (Linux: `/proc/self/exe`).
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return string(buffer)
    }

    /// The number of online processors.
    static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    private static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A failed system call: the system's message (`strerror`).
struct SystemError: Error {
    let message: String
}

extension POSIX.FileStatus {
    fileprivate init(_ info: stat) {
        self.init(isRegular: (info.st_mode & S_IFMT) == S_IFREG, size: Int(info.st_size),
                  modifiedSeconds: Int64(info.st_mtim.tv_sec), modifiedNanoseconds: Int64(info.st_mtim.tv_nsec))
    }
}

// The C functions under names that `POSIX`'s own members do not shadow.
@inline(__always) private func closeFile(_ fd: Int32) -> Int32 { close(fd) }
@inline(__always) private func readFile(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
