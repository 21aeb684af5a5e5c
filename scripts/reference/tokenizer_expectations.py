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
    for name, raw in variants().items():
        result["expectations"]["variants/" + name] = [
            {"ids": e.ids, "tokens": [raw.id_to_token(i) for i in e.ids], "decoded": raw.decode(e.ids, skip_special_tokens=False)}
            for e in (raw.encode(text) for text in TEXTS + ADDED_TEXTS)
        ]
    result["added_texts"] = ADDED_TEXTS
    result["long_texts"] = LONG_TEXTS
    for folder in ["gpt2", "bert_mlm"]:
        raw = tokenizers.Tokenizer.from_file(os.path.join(FIXTURES, folder, "tokenizer.json"))
        result["expectations"]["long/" + folder] = [{"ids": raw.encode(text).ids} for text in LONG_TEXTS]
    with open(os.path.join(FIXTURES, "expectations.json"), "w") as f:
        json.dump(result, f, ensure_ascii=True, indent=None)
        f.write("\n")


if __name__ == "__main__":
    main()
