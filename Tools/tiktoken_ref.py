"""Python tiktoken, built offline from a folder of `.tiktoken` files, as the reference oracle.

Used by the fixture, Unicode-table and benchmark scripts in Tools/. Needs `pip install tiktoken==0.14.0`.
The vocabulary folder is found as: $BPE_VOCAB_DIR, Vocab/cache, ../shared/vocab.
"""
import os
import sys

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
