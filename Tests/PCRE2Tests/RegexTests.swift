import Testing
import PCRE2

@Suite struct RegexTests {
    func matches(_ pattern: String, _ text: String, options: Regex.Options = []) throws -> [String] {
        let regex = try Regex(pattern, options: options)
        let matcher = regex.makeMatcher()
        let bytes = Array(text.utf8)
        var found = [String]()
        try bytes.withUnsafeBufferPointer { buffer in
            try matcher.forEachMatch(in: buffer) { found.append(String(decoding: bytes[$0], as: UTF8.self)) }
        }
        return found
    }

    @Test func splitsIntoByteRangesWithUnicodeClasses() throws {
        #expect(try matches(#"\p{L}+|\p{N}+|\s+|."#, "héllo 你好 42!") == ["héllo", " ", "你好", " ", "42", "!"])
        #expect(try Regex("a").isJITCompiled)
    }

    @Test func dollarEndOnlyIgnoresFinalNewline() throws {
        #expect(try matches(#"\s+$"#, "a  \n") == ["  \n"])
        #expect(try matches(#"a$"#, "a\n", options: .dollarEndOnly).isEmpty)
        #expect(try matches(#"a$"#, "a\n") == ["a"])
    }

    @Test func emptyMatchesAdvanceByOneCharacter() throws {
        #expect(try matches("x*", "ab€x") == ["x"])
    }

    @Test func compileErrorsNamePlace() {
        #expect(throws: RegexError.self) { try Regex("(unclosed") }
        do { _ = try Regex("ab(") } catch { #expect(error.description.contains("byte 3")) }
    }
}
