import BPE
import Testing
@testable import BPEInspect

@Suite struct InspectionTests {
    @Test func tokensCoverTheInputAndGroupSplitCharacters() throws {
        let encoding = try Encoding.named("cl100k_base")
        let text = "a 🐍 字字 \t12345"
        let inspection = try Inspection(text: text, encoding: encoding)
        #expect(inspection.tokens.map(\.id) == (try encoding.encodeOrdinary(text)))
        #expect(inspection.tokens.flatMap(\.bytes) == Array(text.utf8))
        // Groups partition the tokens; a group of several tokens is one or more whole characters.
        #expect(inspection.groups.flatMap { Array($0.tokens) } == Array(inspection.tokens.indices))
        let snake = try #require(inspection.groups.first { $0.text.contains("🐍") })
        #expect(snake.splitsCharacter && snake.tokens.count == 3)
        #expect(inspection.summary.total.tokens == inspection.tokens.count)
        #expect(inspection.summary.total.characters == text.count)
        #expect(inspection.summary.byCategory[.digits]?.tokens == 2)  // "123" "45"
    }

    @Test func plainRendererNotation() throws {
        let encoding = try Encoding.named("o200k_base")
        let inspection = try Inspection(text: "Hi 🐍\n", encoding: encoding)
        let out = TerminalRenderer(color: false, showIDs: true).render([inspection])
        #expect(out.hasPrefix("== o200k_base: 5 tokens, 5 characters, 8 bytes, 2 pieces ==\n[Hi|12194]{·🐍: [20 F0 9F|9552][90|238][8D|235]}[↵|198]\n"))
    }

    /// A token ending in CRLF ends its line too (`"\r\n"` is one `Character`, so a check for a
    /// final `"\n"` character misses it).
    @Test func crlfTokensEndTheirLine() throws {
        let inspection = try Inspection(text: "a\r\nb\r\n", encoding: try Encoding.named("o200k_base"))
        let out = TerminalRenderer(color: false, showIDs: false).render([inspection])
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).prefix(3).map(String.init)
        #expect(lines[1].hasPrefix("[a]") && lines[1].hasSuffix("↵]"), "\(lines)")
        #expect(lines[2].hasPrefix("[b]"), "\(lines)")
    }

    @Test func idsMarkSpecialTokensByTheEncodingsSpecialIDs() throws {
        // p50k_base's <|endoftext|> is 50256, inside the range of ordinary ranks (50257-50280 are
        // runs of spaces): an id is special because it names a special token, not by its size.
        let encoding = try Encoding.named("p50k_base")
        let ids = try encoding.encode("hi<|endoftext|>  ", allowedSpecial: .all)
        #expect(ids.contains(50256) && ids.contains { $0 > 50256 })
        let inspection = try Inspection(ids: ids, encoding: encoding)
        #expect(inspection.tokens.filter(\.isSpecial).map(\.id) == [50256])
        #expect(inspection.tokens.first { $0.id == 50256 }?.category == .special)
        #expect(!encoding.isSpecialToken(50257) && encoding.isSpecialToken(50256))
    }

    /// Right-to-left tokens keep reading order in the HTML page: every token box, and every split
    /// character's frame, is isolated from bidi reordering and takes its own direction.
    @Test func htmlIsolatesRightToLeftTokens() throws {
        let encoding = try Encoding.named("o200k_base")
        let inspection = try Inspection(text: "مرحبا بالعالم שלום עולם سلام 🐍", encoding: encoding)
        let html = HTMLRenderer.render([inspection])
        #expect(html.contains(".t, .split, .ch { unicode-bidi: isolate; }"))
        let boxes = html.components(separatedBy: "<span class=\"t ").dropFirst()
        #expect(boxes.count == inspection.tokens.count)
        #expect(boxes.allSatisfy { $0.hasPrefix("c") && $0.contains("dir=\"auto\"") })
        #expect(html.contains("<span class=\"split\" dir=\"ltr\""))
    }
}
