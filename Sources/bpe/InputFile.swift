import ArgumentParser
import BPE
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole input as bytes: a file path, or standard input for `-` or no path.
enum InputFile {
    struct Unreadable: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    /// Input that a text-only command cannot take: one line, exit status 1, no usage.
    struct NotUTF8: Error, CustomStringConvertible {
        let name: String
        let byteOffset: Int
        let hint: String
        var description: String { "\(name) is not valid UTF-8 at byte \(byteOffset); \(hint)" }
    }

    /// `bytes` as text, or a one-line error naming `name` and the first bad byte.
    static func text(_ bytes: [UInt8], name: String, hint: String = "this command reads text") throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw NotUTF8(name: name, byteOffset: UTF8Validation.validPrefixLength(bytes), hint: hint)
        }
        return text
    }

    /// `body` with `path` opened for reading (standard input for `-` or nil) and its name.
    static func withDescriptor<R>(_ path: String?, _ body: (Int32, String) throws -> R) throws -> R {
        guard let path, path != "-" else { return try body(STDIN_FILENO, "-") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try body(fd, path)
    }

    static func read(_ path: String?) throws -> [UInt8] {
        try withDescriptor(path) { fd, name in
            var bytes = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Unreadable(path: name, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
            }
            return bytes
        }
    }
}

/// Writes bytes to standard output, all of them.
enum Output {
    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 { if errno == EINTR { continue }; return }
                done += n
            }
        }
    }

    static func write(_ text: String) { write(Array(text.utf8)) }

    /// Colour as `--color`/`--no-color` say, else only on a terminal and never when NO_COLOR is set.
    static func useColor(_ flag: Bool?) -> Bool {
        flag ?? (isatty(STDOUT_FILENO) == 1 && (getenv("NO_COLOR").map { $0.pointee == 0 } ?? true))
    }
}
