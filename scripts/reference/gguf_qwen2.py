"""The qwen2 fixture model (Tests/ArchitecturesTests/Fixtures/qwen2, from transformer_variants.py) as llama.cpp's
converter writes a Qwen2 GGUF: architecture `qwen2`, `qwen2.*` metadata, q/k/v biases as `blk.N.attn_q.bias` …, Q
and K rows kept in transformers' order (llama.cpp runs Qwen2 with NeoX-style RoPE, so its converter does not permute
them), no `output.weight` as the embedding is tied. Its expected logits are transformers' on the folder: written to
Fixtures/qwen2.f32.gguf and qwen2.f32.expect.safetensors.

Run from the package root: /work/venv/bin/python scripts/reference/gguf_qwen2.py
"""
import os

import gguf
import gguf_layout
from safetensors.torch import load_file, save_file
from transformers import Qwen2Config

OUT = "Tests/ArchitecturesTests/Fixtures"
folder = os.path.join(OUT, "qwen2")
config = Qwen2Config.from_pretrained(folder)
weights = load_file(os.path.join(folder, "model.safetensors"))

writer = gguf.GGUFWriter(os.path.join(OUT, "qwen2.f32.gguf"), "qwen2")
gguf_layout.add_config(writer, config)
for key, tensor in weights.items():
    if key == "lm_head.weight":
        continue  # tied: llama.cpp reads the token embedding
    writer.add_tensor(gguf_layout.gguf_name(key), tensor.float().numpy())
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
expect = load_file(os.path.join(folder, "expect.safetensors"))
save_file({k: expect[k].contiguous() for k in ["input_ids", "attention_mask", "logits"]},
          os.path.join(OUT, "qwen2.f32.expect.safetensors"))
print(sorted(weights)[:5])
