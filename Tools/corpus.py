"""Varied test text, generated deterministically from a seed: every script the project cares about,
emoji (ZWJ families, skin tones, flags, keycaps), ZWNJ, combining marks, code, digit runs, whitespace
edge cases, contractions and long runs. Shared by the fixture generator and the benchmarks.
All sample sentences are written for this project.
"""
import random

SENTENCES = {
    "english": "The quick brown fox doesn't jump; it's 3.14 times lazier than we'd thought. I'LL SEE YOU'RE RIGHT.",
    "german": "Größere Übungen für Schüler: Straße, Maß und Fußgängerüberweg – ärgerlich, aber öffentlich.",
    "french": "L'élève a déjà vu ça : « c'est l'été », dit-il, près de l'hôpital où naïveté rime avec Noël.",
    "spanish": "¿Dónde está el niño? ¡Mañana comeremos paella con señoras y pingüinos en Cádiz!",
    "vietnamese": "Tiếng Việt có nhiều dấu: người, những, được, trường học và phở bò rất ngon.",
    "turkish": "İstanbul'da ığdır, şeker ve çiçekler; Iğdır'ın dağları çok güzeldir.",
    "swahili": "Habari za asubuhi? Watoto wanacheza mpira karibu na shule ya msingi.",
    "russian": "Съешь же ещё этих мягких французских булок, да выпей чаю. Ёлка стоит в углу.",
    "greek": "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Η Αθήνα είναι πρωτεύουσα της Ελλάδας.",
    "chinese": "我们今天去公园散步，天气很好。人工智能正在改变世界，语言模型需要分词器。",
    "japanese": "今日は良い天気ですね。カタカナとひらがなと漢字を混ぜて書きます。東京タワーへ行こう！",
    "korean": "안녕하세요, 오늘 날씨가 정말 좋네요. 한국어 토큰화는 어떻게 될까요?",
    "arabic": "مرحبا بكم في عالم الذكاء الاصطناعي. اللغة العربية جميلة ومليئة بالكلمات الطويلة.",
    "persian": "می‌خواهم به کتاب‌خانه بروم. زبان فارسی از نیم‌فاصله استفاده می‌کند.",
    "hebrew": "שלום עולם! הטקסט הזה נכתב בעברית, משמאל לימין? לא, מימין לשמאל.",
    "hindi": "नमस्ते दुनिया! हिन्दी भाषा देवनागरी लिपि में लिखी जाती है, क्षत्रिय और ज्ञान।",
    "bengali": "আমি বাংলায় গান গাই। বাংলা ভাষা অনেক সুন্দর এবং সমৃদ্ধ।",
    "tamil": "தமிழ் மொழி மிகவும் பழமையானது. நான் பள்ளிக்குச் செல்கிறேன்.",
    "thai": "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำสวัสดีครับวันนี้อากาศดีมาก",
    "georgian": "ქართული ენა ძალიან ლამაზია და უნიკალური დამწერლობა აქვს.",
    "armenian": "Հայերենը շատ հին լեզու է և ունի իր այբուբենը։",
    "amharic": "ሰላም ለዓለም። አማርኛ በግዕዝ ፊደል ይጻፋል።",
    "khmer": "ភាសាខ្មែរជាភាសាផ្លូវការរបស់ប្រទេសកម្ពុជា។",
    "mongolian": "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ᠎ᠨᠢ ᠡᠷᠲᠡ ᠦᠨ ᠪᠢᠴᠢᠭ᠌ᠲᠡᠢ",
}

EMOJI = ["😀", "👍", "👍🏽", "👋🏿", "👨‍👩‍👧‍👦", "👩🏽‍💻", "🏳️‍🌈", "🇯🇵", "🇺🇸", "🇩🇪", "1️⃣", "#️⃣",
         "❤️", "🧑‍🤝‍🧑", "🫠", "🦀", "🐍", "✅", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "👁️‍🗨️", "🙂‍↔️", "©️", "🤷🏻‍♀️"]

CODE = [
    "def fib(n):\n\tif n < 2:\n\t\treturn n\n\treturn fib(n - 1) + fib(n - 2)\n",
    "def add(a, b):\n    return a + b  # two spaces\n\n\nclass Foo:\n    pass\n",
    "for (int i = 0; i < 10; ++i) {\n\tprintf(\"%d\\n\", i);\n}\r\n",
    "{\"key\": [1, 2, 3], \"nested\": {\"a\": null, \"b\": true}}\n",
    "let x: [String: Int] = [\"a\": 1]\nguard let y = x[\"a\"] else { return }\n",
    "SELECT name, COUNT(*) FROM users WHERE id >= 42 GROUP BY name;\n",
    "<div class=\"x\"><a href=\"https://example.com/a/b?c=d&e=f\">link</a></div>\n",
    "    if (a && b || !c) { x += y >> 2; }   // trailing   \n\n\n",
    "path/to/file.swift:12:5: error: cannot find 'foo' in scope\n",
]

WHITESPACE = [" ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n", "\t\n", "  \n  ", "\u00a0", "\u3000",
              "\u2003", "\u200b", "\r", "\x0b", "\x0c", "\u2028", "\u0085", " \t \n "]

COMBINING = ["e\u0301", "a\u0308\u0304", "Z\u0351\u0358\u0367\u0306", "n\u0303", "\u0915\u094d\u0937",
             "\u1ec7", "o\u031b\u0323", "\u05e9\u05c1\u05b8", "\u0627\u064e\u0644\u0652"]

CONTRACTIONS = ["it's", "IT'S", "we'll", "WE'LL", "they're", "You'VE", "I'm", "he'd", "x'D", "don't",
                "ſ's", "'s", "'S", "O'Neil's", "rock'n'roll", "ǅ's", "Ǆ'T"]

SPECIAL_TEXT = ["<|endoftext|>", "<|fim_prefix|>", "<|start|>", "<|end|>", "<|message|>", "<|endofprompt|>",
                "<|channel|>", "<|reserved_200500|>", "<|return|>", "<|call|>", "<|startoftext|>"]


def digits(rng):
    n = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 25])
    s = "".join(rng.choice("0123456789") for _ in range(n))
    return rng.choice([s, s + "." + s[:3], "+1 (555) 123-4567", "3.14159", "1,234,567.89", "٣٤٥", "१२३", "0x1F600", s + "%"])


def random_scalar(rng):
    while True:
        c = rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0xA0, 0x800), rng.randrange(0x800, 0x3000),
                        rng.randrange(0x3000, 0xA000), rng.randrange(0xA000, 0x10000), rng.randrange(0x10000, 0x30000),
                        rng.randrange(0xE0000, 0xE0080), rng.randrange(0x30000, 0x110000)])
        if not 0xD800 <= c < 0xE000:
            return chr(c)


def fragment(rng):
    kind = rng.randrange(10)
    if kind == 0:
        return rng.choice(list(SENTENCES.values()))
    if kind == 1:
        return "".join(rng.choice(EMOJI) for _ in range(rng.randrange(1, 5)))
    if kind == 2:
        return rng.choice(CODE)
    if kind == 3:
        return rng.choice(WHITESPACE)
    if kind == 4:
        return digits(rng)
    if kind == 5:
        return rng.choice(COMBINING)
    if kind == 6:
        return rng.choice(CONTRACTIONS)
    if kind == 7:
        return "".join(random_scalar(rng) for _ in range(rng.randrange(1, 8)))
    if kind == 8:
        words = rng.choice(list(SENTENCES.values())).split()
        return " ".join(rng.sample(words, min(len(words), 4)))
    return rng.choice(["\u200c", "\u200d", "\ufe0f", "'", "''", "...", "--", "//", "/*", "::", "=>"])


def mixed_text(rng, approx_bytes):
    parts = []
    size = 0
    while size < approx_bytes:
        f = fragment(rng)
        if rng.random() < 0.5:
            f += rng.choice([" ", "", "\n", "  ", "\t"])
        parts.append(f)
        size += len(f.encode())
    return "".join(parts)


def long_runs():
    return {
        "run_letter_a_3000": "a" * 3000,
        "run_spaces_2000_then_word": " " * 2000 + "word",
        "run_spaces_then_newlines": " " * 500 + "\n" * 300 + " " * 10,
        "run_digits_1000": "1234567890" * 100,
        "run_cjk_1500": "字" * 1500,
        "run_emoji_500": "👍🏽" * 500,
        "run_thai_no_spaces": SENTENCES["thai"] * 20,
        "run_japanese_no_spaces": SENTENCES["japanese"] * 15,
        "run_punct_800": "!?." * 800,
        "run_tabs_700": "\t" * 700 + "x",
        "run_crlf": "\r\n" * 400,
        "run_base64ish": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==" * 20,
        "run_hex": "deadbeef" * 300,
        "run_zwj": "\u200d" * 300,
        "run_combining": "a" + "\u0301" * 400,
        "run_mixed_case": "aBcDeF" * 300,
    }


def whitespace_cases():
    cases = {}
    for i, w in enumerate(WHITESPACE):
        cases["ws_%02d_alone" % i] = w
        cases["ws_%02d_between" % i] = "a" + w + "b"
        cases["ws_%02d_end" % i] = "word" + w
        cases["ws_%02d_start" % i] = w + "word"
        cases["ws_%02d_before_digit" % i] = "x" + w + w + "1"
    cases["ws_empty"] = ""
    cases["ws_newline_spaces_newline"] = "a\n  \n  b"
    cases["ws_trailing_mix"] = "line  \t\n"
    return cases
