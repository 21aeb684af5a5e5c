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
    with open(os.path.join(FIXTURES, "expectations.json"), "w") as f:
        json.dump(result, f, ensure_ascii=True, indent=None)
        f.write("\n")


if __name__ == "__main__":
    main()
