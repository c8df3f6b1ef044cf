/// The inspector's built-in demo: one short line of each kind of text whose tokenization is worth
/// seeing. Written for this project.
public enum DemoText {
    public static let text = """
    Emoji: 🐍 👍🏽 👨‍👩‍👧‍👦 🇯🇵 ✅
    Chinese: 我们今天学习分词。
    Japanese: 東京でラーメンを食べた。
    Korean: 안녕하세요, 세계!
    Arabic: مرحبا بالعالم، كيف حالك؟
    Hebrew: שלום עולם
    Hindi: नमस्ते दुनिया
    Python (tabs):
    def area(r):
    \treturn 3.14159 * r ** 2
    Python (spaces):
    def area(r):
        return 3.14159 * r ** 2
    Numbers: 7 42 365 2026 65536 1234567 4294967296 1234567890
    Decimals: 0.5 3.14159 -273.15
    Phone: +1 (555) 010-9999

    """
}
