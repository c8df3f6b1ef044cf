import ArgumentParser
import BPE
#if canImport(Glibc)
import Glibc
#endif

extension Bpe.Count {
    /// `--jsonl-field`: each input line is a JSON object; its field NAME (a string) is counted and
    /// `"NAME_tokens": N` added before the closing brace, the rest of the line unchanged (a final
    /// CR dropped; blank lines passed through). Lines are read in batches of about 1 MiB, counted on
    /// `--jobs` threads and written in input order. A line that is not an object, or lacks the
    /// field, stops the run with its line number after the lines before it are written.
    /// - Complexity: O(*n*) in the input.
    func countJSONLines(field: String, encoding: Encoding) throws {
        let suffix = Array(("\"" + field + "_tokens\":").utf8)
        var pending = [UInt8]()
        var firstLine = 1
        var atEnd = false
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var lastNewline: Int? = nil  // in `pending`
        while !atEnd || !pending.isEmpty {
            // Fill to at least 1 MiB and at least one whole line (a line may be longer), or the end.
            while !atEnd, pending.count < 1 << 20 || lastNewline == nil {
                let n = block.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress!, $0.count) }
                if n < 0 { if errno == EINTR { continue }; throw ValidationError("standard input: \(String(cString: strerror(errno)))") }
                if n == 0 { atEnd = true; break }
                if let newline = block[0..<n].lastIndex(of: 0x0A) { lastNewline = pending.count + newline }
                pending.append(contentsOf: block[0..<n])
            }
            let cut = atEnd ? pending.count : lastNewline! + 1
            var lines = [Range<Int>]()
            var start = 0
            while start < cut {
                let end = pending[start..<cut].firstIndex(of: 0x0A) ?? cut
                lines.append(start..<end)
                start = end + 1
            }
            let batch = pending, ranges = lines
            let results = concurrentMap(count: ranges.count, threads: jobs) { index in
                Self.countLine(batch[ranges[index]], field: field, suffix: suffix, encoding: encoding)
            }
            var out = [UInt8]()
            out.reserveCapacity(cut + lines.count * 24)
            for (index, result) in results.enumerated() {
                switch result {
                case let .success(line): out += line; out.append(0x0A)
                case let .failure(problem):
                    Output.write(out)
                    throw ValidationError("line \(firstLine + index): \(problem.message)")
                }
            }
            Output.write(out)
            firstLine += lines.count
            pending.removeFirst(cut)
            lastNewline = pending.lastIndex(of: 0x0A)
        }
    }

    struct LineProblem: Error { let message: String }

    /// One output line (without its newline) for one input line.
    static func countLine(_ raw: ArraySlice<UInt8>, field: String, suffix: [UInt8], encoding: Encoding) -> Result<[UInt8], LineProblem> {
        let line = raw.last == 0x0D ? raw.dropLast() : raw
        guard let close = line.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return .success(Array(line)) }
        guard line[close] == UInt8(ascii: "}"), let object = try? JSONValue.parse(line), let members = object.objectValue else {
            return .failure(LineProblem(message: "not a JSON object"))
        }
        guard let value = object[field]?.stringValue else {
            return .failure(LineProblem(message: "field \"\(field)\" is missing or not a string"))
        }
        guard let count = try? encoding.countTokens(value) else {
            return .failure(LineProblem(message: "field \"\(field)\" cannot be encoded"))
        }
        var out = Array(line[..<close])
        if !members.isEmpty { out.append(UInt8(ascii: ",")) }
        out += suffix
        out += Array(String(count).utf8)
        out += line[close...]
        return .success(out)
    }
}
