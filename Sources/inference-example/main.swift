// An inference loop in miniature: a gpt-oss model's reply, recorded as o200k_harmony ids, is
// decoded token by token as if it were being generated, and each piece of text is printed the
// moment it is complete. The emoji and CJK characters span two or three tokens each; the
// StreamingDecoder holds their first bytes back until the character is whole, so nothing broken
// ever reaches the terminal. Control tokens and the author's role are not shown; the channel names
// that follow <|channel|> are shown as headings.
//
//   swift run inference-example                 # one token every 40 ms
//   swift run inference-example --delay-ms 0    # all at once
import BPE
#if canImport(Glibc)
import Glibc
#endif

/// What the model sent: analysis, then the final answer (recorded with `bpe encode -e o200k_harmony
/// --allow-special`).
let recorded: [Rank] = [
    200005, 35644, 200008, 976, 1825, 10648, 290, 22888, 13, 200007, 200006, 173781, 200005, 17196,
    200008, 173844, 130321, 99, 15148, 220, 1157, 26557, 2733, 185244, 5205, 53307, 15121, 788, 104483,
    25701, 222, 15148, 220, 2092, 26557, 13, 13667, 27546, 0, 61138, 233, 52622, 121, 200002,
]

var delay = 40
let arguments = CommandLine.arguments.dropFirst()
if let i = arguments.firstIndex(of: "--delay-ms"), i + 1 < arguments.endIndex, let value = Int(arguments[i + 1]), value >= 0 {
    delay = value
} else if !arguments.isEmpty {
    write("usage: inference-example [--delay-ms N]\n", to: STDERR_FILENO)
    exit(64)
}

/// Writes to a file descriptor unbuffered, so each piece shows the moment it is decoded.
func write(_ text: String, to fd: Int32 = STDOUT_FILENO) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; return }
        bytes = bytes.dropFirst(n)
    }
}

/// Where in a harmony message the stream is.
enum Place { case role, channel, content }

do {
    let encoding = try Encoding.named("o200k_harmony")
    func special(_ text: String) -> Rank { encoding.specialTokens[text] ?? Rank.max }
    var stream = StreamingDecoder(encoding: encoding)
    var place = Place.role  // the prompt ended with <|start|>assistant
    for id in recorded {
        if delay > 0 { usleep(useconds_t(delay * 1000)) }
        switch id {
        case special("<|start|>"): place = .role
        case special("<|channel|>"): place = .channel; write("\n[")
        case special("<|message|>"): if place == .channel { write("] ") }; place = .content
        case special("<|end|>"), special("<|return|>"), special("<|call|>"): write(try stream.finish(.replace))
        default:
            switch place {
            case .role: break  // the author of the next message ("assistant")
            case .channel: write(String(decoding: encoding.tokenBytes(id) ?? [], as: UTF8.self).uppercased())
            case .content: write(try stream.push(id))
            }
        }
    }
    write("\n")
} catch {
    write("inference-example: \(error)\n", to: STDERR_FILENO)
    exit(1)
}
