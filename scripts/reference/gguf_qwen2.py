"""The qwen2 fixture model (Tests/ArchitecturesTests/Fixtures/qwen2, from transformer_variants.py) as llama.cpp's
converter writes a Qwen2 GGUF: architecture `qwen2`, `qwen2.*` metadata, q/k/v biases as `blk.N.attn_q.bias` …, Q
and K rows kept in transformers' order (llama.cpp runs Qwen2 with NeoX-style RoPE, so its converter does not permute
them), no `output.weight` as the embedding is tied. Its expected logits are transformers' on the folder: written to
Fixtures/qwen2.f32.gguf and qwen2.f32.expect.safetensors.

Run from the package root: /work/venv/bin/python scripts/reference/gguf_qwen2.py
"""
import os

import gguf
from safetensors.torch import load_file, save_file
from transformers import Qwen2Config

OUT = "Tests/ArchitecturesTests/Fixtures"
folder = os.path.join(OUT, "qwen2")
config = Qwen2Config.from_pretrained(folder)
weights = load_file(os.path.join(folder, "model.safetensors"))

writer = gguf.GGUFWriter(os.path.join(OUT, "qwen2.f32.gguf"), "qwen2")
writer.add_context_length(config.max_position_embeddings)
writer.add_embedding_length(config.hidden_size)
writer.add_block_count(config.num_hidden_layers)
writer.add_feed_forward_length(config.intermediate_size)
writer.add_head_count(config.num_attention_heads)
writer.add_head_count_kv(config.num_key_value_heads)
writer.add_rope_freq_base(config.rope_parameters["rope_theta"])
writer.add_layer_norm_rms_eps(config.rms_norm_eps)
names = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight"}
blocks = {"input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm", "self_attn.q_proj": "attn_q",
          "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
          "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
for key, tensor in weights.items():
    if key == "lm_head.weight":
        continue  # tied: llama.cpp reads the token embedding
    if key in names:
        out = names[key]
    else:
        parts = key.split(".")
        out = f"blk.{parts[2]}.{blocks['.'.join(parts[3:-1])]}.{parts[-1]}"
    writer.add_tensor(out, tensor.float().numpy())
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
expect = load_file(os.path.join(folder, "expect.safetensors"))
save_file({k: expect[k].contiguous() for k in ["input_ids", "attention_mask", "logits"]},
          os.path.join(OUT, "qwen2.f32.expect.safetensors"))
print(sorted(weights)[:5])
