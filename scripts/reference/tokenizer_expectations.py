"""Writes Tests/TokenizersTests/Fixtures/expectations.json: the token ids, tokens and decoded text transformers gives
for hard texts (accents precomposed and decomposed, CJK, emoji, contractions, runs of whitespace, punctuation runs,
control characters, very long words, special tokens inside text) with each fixture tokenizer.

Run from the repository root with the venv that has transformers and tokenizers:

    /work/venv/bin/python scripts/reference/tokenizer_expectations.py
"""
import json
import os

import tokenizers
import transformers
from transformers import AutoTokenizer

FIXTURES = "Tests/TokenizersTests/Fixtures"
FOLDERS = ["bert_mlm", "gpt2", "llama", "minilm"]

TEXTS = [
    "", " ", "   ", "\n", "\t\t", "a  b", "a   b  ", "  leading spaces", "trailing spaces  ", "a \n b",
    "tabs\tand\nnewlines\r\n", "multiple\n\n\nnewlines", "space before newline \nx", " \t mixed \n\t whitespace \n",
    "café", "cafe\u0301", "naïve NAÏVE", "na\u0131\u0308ve", "Ångström", "A\u030angstro\u0308m", "résumé",
    "Crème Brûlée", "İstanbul", "ΣΑΣ σας", "Straße", "ﬁne ligature", "Z̴̡a̷l̶g̵o text", "a\u0300\u0300\u0300b",
    "\u0301starts with a mark",
    "中文字符", "日本語のテキストです。", "한국어 텍스트", "混合English和中文", "𠀀𪜀 rare ideographs", "ｆｕｌｌｗｉｄｔｈ",
    "😀", "👍🏽 thumbs", "👨‍👩‍👧 family", "I ❤️ NY", "🥲 newer emoji", "emoji😀inside",
    "don't", "I'll", "we've they're she'd I'm it's", "DON'T SHOUT", "'s'", "''", "rock'n'roll", "o'clock",
    "He said 'hello' and 'goodbye'", "the cat's toy", "   's",
    "Hello!!!", "...", "?!?!", "(a)[b]{c}", "--", "a—b", "«quoted»", "$100.00", "#hashtag @user", "1,234,567",
    "3.14159", "x^2 + y^2 = z^2", "e-mail: someone@example.com", "<html><body>", "C++ and C#", "~/path/to/file.txt",
    "a\u0000b", "a\u0007b", "zero\u200bwidth", "soft\u00adhyphen", "bom\ufeffhere", "\ufffd replacement",
    "a\u0085b", "a\u000bb\u000cc", "a\u00a0b", "a\u3000b", "a\u2003b", "a \u00a0 b", "\u2028line separator",
    "\ue000 private use", "a\U000e0100b",
    "a" * 150, "supercalifragilisticexpialidocious" * 4, "x" * 101, "x" * 100, "antidisestablishmentarianism",
    "12345", "٣٤٥", "½ and ¾", "2nd place", "x² + y³", "1st 22nd 333rd 4444th",
    "Привет мир", "Γειά σου Κόσμε", "שלום עולם", "مرحبا بالعالم", "नमस्ते दुनिया", "ภาษาไทย",
    "[MASK]", "The [MASK] is here.", "[mask] lower", "[CLS] x [SEP]", "a[MASK]b", "[MASK][MASK]", "[PAD] [UNK]",
    "<|endoftext|>", "a<|endoftext|>b", "<|endoftext|><|endoftext|>", " <|endoftext|> ", "<|endoftext", "<|endoftext|>\n",
    "The quick brown fox jumps over the lazy dog. " * 3,
    "This program is free software: you can redistribute it and/or modify it under the terms of the GNU General "
    "Public License as published by the Free Software Foundation, either version 3 of the License, or (at your "
    "option) any later version.",
]


def pseudo_random_word(length, seed=7):
    """Lowercase letters from a linear congruential generator: a long word with many different merges."""
    letters, state = [], seed
    for _ in range(length):
        state = (state * 1103515245 + 12345) % (1 << 31)
        letters.append(chr(ord("a") + (state >> 16) % 26))
    return "".join(letters)


# 10,000-scalar words: BPE must merge them in O(n log n), and give the library's ids.
LONG_TEXTS = [pseudo_random_word(10000), " " * 10000 + "x", "the" * 3334, "é" * 1000]

# Pieces random texts are made of: whitespace of every kind, letters, accents in both forms, combining marks, CJK,
# emoji, digits, punctuation, apostrophes and contraction endings, control characters, special-token fragments.
RANDOM_PIECES = [
    " ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "a", "b", "the", "The", "ing", "don", "'", "'s", "'t",
    "'ll", "'re", "'ve", "'m", "'d", "é", "e\u0301", "\u0301", "ñ", "Ü", "ß", "İ", "中", "文", "日本", "한", "😀", "👍🏽",
    "\u200d", "1", "42", "٣", "½", ".", ",", "!", "?", "...", "—", "-", "(", ")", "$", "@", "#", "\"", "«", "\u0000",
    "\u0007", "\u200b", "\u00ad", "\ufeff", "\ufffd", "[MASK]", "[mask]", "<|endoftext|>", "<|", "|>", "##", "Ġ", "\u0120",
    "license", "program", "software", "GNU", "x" * 30,
]


def random_texts(count, seed=11):
    """Deterministic texts of 0 to 12 random pieces."""
    texts, state = [], seed
    for _ in range(count):
        state = (state * 1103515245 + 12345) % (1 << 31)
        length = (state >> 16) % 13
        pieces = []
        for _ in range(length):
            state = (state * 1103515245 + 12345) % (1 << 31)
            pieces.append(RANDOM_PIECES[(state >> 16) % len(RANDOM_PIECES)])
        texts.append("".join(pieces))
    return texts


RANDOM_TEXTS = random_texts(400)

# Added-token texts for the variants below.
ADDED_TEXTS = [
    "<mask>", "a <mask> b", "a<mask>b", "  <mask>  ", "<mask>  <mask>", "x <r>  y", "<r>\n\tz", "word words sword word.",
    "wordy word", "(word)", "é", "e\u0301", "cafe\u0301 café", "[MASK]", "a [MASK] b",
]


def edited(folder, edit):
    with open(os.path.join(FIXTURES, folder, "tokenizer.json")) as f:
        spec = json.load(f)
    edit(spec)
    return tokenizers.Tokenizer.from_str(json.dumps(spec))


def bert_cased(spec):
    spec["normalizer"].update(lowercase=False, strip_accents=None)


def bert_plain(spec):
    spec["normalizer"].update(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)


def bert_sequence(spec):
    spec["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "NFD"}, {"type": "Lowercase"}, {"type": "StripAccents"},
        {"type": "Replace", "pattern": {"String": "``"}, "content": "\""}]}
    spec["pre_tokenizer"] = {"type": "Whitespace"}
    spec["post_processor"] = {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}


def gpt2_prefix_space(spec):
    spec["pre_tokenizer"]["add_prefix_space"] = True
    spec["post_processor"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}


def gpt2_added(spec):
    spec["normalizer"] = {"type": "NFC"}


def llama_bos(spec):
    spec["post_processor"] = {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                 {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [0], "tokens": ["<|endoftext|>"]}},
    }
    spec["model"]["ignore_merges"] = True


LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
                  r"\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_PATTERN = LLAMA3_PATTERN.replace(r"\p{N}{1,3}", r"\p{N}")


def split_then_bytes(pattern):
    return {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]}


def llama3_split(spec):
    spec["pre_tokenizer"] = split_then_bytes(LLAMA3_PATTERN)
    llama_bos(spec)
    spec["post_processor"] = {"type": "Sequence", "processors": [
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        spec["post_processor"]]}


def qwen2_split(spec):
    spec["normalizer"] = {"type": "NFC"}
    spec["pre_tokenizer"] = split_then_bytes(QWEN2_PATTERN)


def sentencepiece_style(pre_tokenizer, normalizer, decoder):
    """A small BPE trained here the way SentencePiece-converted tokenizers (Llama 2, Mistral) are laid out:
    ▁ for spaces, byte fallback to <0xAB> tokens, <unk> fused."""
    byte_tokens = ["<0x%02X>" % b for b in range(256)]
    model = tokenizers.models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True)
    tokenizer = tokenizers.Tokenizer(model)
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.normalizer = normalizer
    tokenizer.decoder = decoder
    trainer = tokenizers.trainers.BpeTrainer(vocab_size=700, special_tokens=["<unk>", "<s>", "</s>"] + byte_tokens,
                                             show_progress=False)
    # Latin-script texts only, so the others go through byte fallback.
    corpus = [t for t in TEXTS if t and all(ord(c) < 0x250 for c in t)] * 3
    # Training pre-tokenizes with the pipeline's own stages; normalizer-only layouts train on normalized text.
    tokenizer.train_from_iterator(corpus, trainer)
    return tokenizer


def llama_decoder():
    return tokenizers.decoders.Sequence([
        tokenizers.decoders.Replace("\u2581", " "), tokenizers.decoders.ByteFallback(), tokenizers.decoders.Fuse(),
        tokenizers.decoders.Strip(" ", 1, 0)])


def with_bos(tokenizer):
    tokenizer.post_processor = tokenizers.processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", 1)])
    return tokenizer


def variants():
    """Tokenizers edited from the fixtures to exercise every flag the loader honours, saved next to them."""
    made = {
        "bert_cased": edited("bert_mlm", bert_cased),
        "bert_plain": edited("bert_mlm", bert_plain),
        "bert_sequence": edited("bert_mlm", bert_sequence),
        "gpt2_prefix_space": edited("gpt2", gpt2_prefix_space),
        "gpt2_added": edited("gpt2", gpt2_added),
        "llama_bos": edited("llama", llama_bos),
    }
    made["llama3_split"] = edited("gpt2", llama3_split)
    made["qwen2_split"] = edited("gpt2", qwen2_split)
    made["metaspace_first"] = with_bos(sentencepiece_style(
        tokenizers.pre_tokenizers.Metaspace(prepend_scheme="first", split=False), None, llama_decoder()))
    made["metaspace_always_split"] = sentencepiece_style(
        tokenizers.pre_tokenizers.Metaspace(prepend_scheme="always", split=True), None,
        tokenizers.decoders.Metaspace(prepend_scheme="always"))
    made["prepend_replace"] = with_bos(sentencepiece_style(
        None, tokenizers.normalizers.Sequence([tokenizers.normalizers.Prepend("\u2581"),
                                               tokenizers.normalizers.Replace(" ", "\u2581")]), llama_decoder()))
    added = made["gpt2_added"]
    added.add_special_tokens([tokenizers.AddedToken("<mask>", lstrip=True, special=True)])
    added.add_special_tokens([tokenizers.AddedToken("<r>", rstrip=True, special=True)])
    added.add_tokens([tokenizers.AddedToken("word", single_word=True, normalized=False)])
    added.add_tokens([tokenizers.AddedToken("é", normalized=True)])
    for name, tokenizer in made.items():
        os.makedirs(os.path.join(FIXTURES, "variants", name), exist_ok=True)
        tokenizer.save(os.path.join(FIXTURES, "variants", name, "tokenizer.json"))
    return made


def main():
    result = {
        "generator": "scripts/reference/tokenizer_expectations.py",
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "texts": TEXTS,
        "expectations": {},
    }
    for folder in FOLDERS:
        path = os.path.join(FIXTURES, folder)
        tokenizer = AutoTokenizer.from_pretrained(path)
        raw = tokenizers.Tokenizer.from_file(os.path.join(path, "tokenizer.json"))
        # transformers neither pads nor truncates one text unless asked; MiniLM's tokenizer.json would do both.
        raw.no_padding()
        raw.no_truncation()
        rows = []
        for text in TEXTS:
            ids = tokenizer(text)["input_ids"]
            if ids != raw.encode(text).ids:
                raise SystemExit("transformers and tokenizers disagree on %r with %s" % (text, folder))
            rows.append({
                "ids": ids,
                "tokens": tokenizer.convert_ids_to_tokens(ids),
                "decoded": raw.decode(ids, skip_special_tokens=False),
            })
        result["expectations"][folder] = rows
    result["variants"] = {}
    for name, raw in variants().items():
        result["variants"][name] = [
            {"ids": e.ids, "decoded": raw.decode(e.ids, skip_special_tokens=False)}
            for e in (raw.encode(text) for text in TEXTS + ADDED_TEXTS)
        ]
    result["added_texts"] = ADDED_TEXTS
    result["random_texts"] = RANDOM_TEXTS
    result["random"] = {}
    for folder in FOLDERS:
        tokenizer = AutoTokenizer.from_pretrained(os.path.join(FIXTURES, folder))
        result["random"][folder] = [tokenizer(text)["input_ids"] for text in RANDOM_TEXTS]
    result["long_texts"] = LONG_TEXTS
    result["long"] = {}
    for folder in ["gpt2", "bert_mlm"]:
        raw = tokenizers.Tokenizer.from_file(os.path.join(FIXTURES, folder, "tokenizer.json"))
        result["long"][folder] = [raw.encode(text).ids for text in LONG_TEXTS]
    with open(os.path.join(FIXTURES, "expectations.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
