"""A Llama-style SentencePiece BPE tokenizer in a GGUF file (`tokenizer.ggml.model` = llama), and what the
sentencepiece library itself gives for texts with it.

A small BPE model (vocabulary 800, byte fallback, identity normalization, no whitespace squeezing, a dummy prefix:
Llama's settings) is trained with the sentencepiece package on the GPL text of the fixtures, then written as
llama.cpp's converter writes a Llama tokenizer: `tokenizer.ggml.tokens` (pieces), `.scores`, `.token_type` (1 normal,
2 unknown, 3 control, 6 byte), bos 1, eos 2, unknown 0, add_bos true, no tensors. Writes
Tests/TokenizersTests/Fixtures/spm/{tokenizer.gguf, expect.json} (the texts, sentencepiece's ids with BOS, and its
decoded text).

Run from the package root: /work/venv/bin/python scripts/reference/sentencepiece_gguf.py
"""
import io
import json
import os

import gguf
import sentencepiece as spm

OUT = "Tests/TokenizersTests/Fixtures/spm"
CORPUS = open("Tests/TokenizersTests/Fixtures/expectations.json", encoding="utf-8").read()
TEXTS = [
    "Hello world", "The licensee may modify the program.", "  two leading spaces", "trailing  ", "a  b   c",
    "This program is free software: you can redistribute it and/or modify it under the terms of the GNU General "
    "Public License.", "café naïve Straße", "中文字符", "emoji 😀 inside", "don't stop", "x" * 40, "", " ",
    "tabs\tand\nnewlines", "1,234,567 and 3.14159", "GNU GPL", "licenselicense", "ÅngströmÅngström",
]


def main():
    lines = [line for line in json.loads(CORPUS)["texts"] if line.strip()] * 3
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=800, model_type="bpe", byte_fallback=True,
        normalization_rule_name="identity", remove_extra_whitespaces=False, add_dummy_prefix=True,
        character_coverage=0.98, unk_id=0, bos_id=1, eos_id=2, pad_id=-1, split_digits=False)
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    tokens, scores, types = [], [], []
    for index in range(processor.get_piece_size()):
        tokens.append(processor.id_to_piece(index))
        scores.append(processor.get_score(index))
        if processor.is_unknown(index):
            types.append(2)
        elif processor.is_control(index):
            types.append(3)
        elif processor.is_byte(index):
            types.append(6)
        else:
            types.append(1)
    os.makedirs(OUT, exist_ok=True)
    writer = gguf.GGUFWriter(os.path.join(OUT, "tokenizer.gguf"), "llama")
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(True)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    rows = [{"ids": [1] + processor.encode(text), "decoded": processor.decode(processor.encode(text))} for text in TEXTS]
    with open(os.path.join(OUT, "expect.json"), "w", encoding="utf-8") as file:
        json.dump({"generator": "scripts/reference/sentencepiece_gguf.py", "sentencepiece": spm.__version__,
                   "texts": TEXTS, "rows": rows}, file, ensure_ascii=False)
        file.write("\n")
    print(len(tokens), rows[0], rows[8])


main()
