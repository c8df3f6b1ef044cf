import Testing
@testable import BPEInspect

@Suite struct CategoryTests {
    @Test(arguments: [
        ("👍🏽", Category.emoji), (" 👨‍👩‍👧", .emoji), ("你好", .cjk), ("カタカナ", .cjk), ("한국어", .cjk),
        (" مرحبا", .arabic), ("hello", .letters), (" Ünïcode", .letters), ("שלום", .letters), ("123", .digits),
        (" \n\t", .whitespace), ("();", .code), (" //", .code), ("#", .code), ("٣٤", .digits),
    ])
    func classifiesPieces(_ text: String, _ expected: Category) {
        #expect(Category(piece: Array(text.utf8)) == expected)
    }
}
