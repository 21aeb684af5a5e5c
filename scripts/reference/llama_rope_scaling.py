"""Tiny Llama models whose config.json stretches the rotary embeddings (`rope_scaling`): Llama 3.1's `llama3` type
(factor 8, low/high frequency factors 1 and 4, an original context of 32 positions, so that with head_dim 16 the
frequencies fall in all three bands: kept, blended and divided) and the `linear` type (factor 4). Random weights
(seeds 21 and 22) saved with save_pretrained, with transformers' logits and last hidden state on a padded batch of
ids. Written to Tests/ArchitecturesTests/Fixtures/llama_rope_llama3 and llama_rope_linear.

Run from the package root: /work/venv/bin/python scripts/reference/llama_rope_scaling.py
"""
import os

import torch
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM

OUT = "Tests/ArchitecturesTests/Fixtures"


def case(name, seed, rope_scaling):
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=200, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=128,
                         rope_theta=10000.0, rope_scaling=rope_scaling, tie_word_embeddings=False)
    model = LlamaForCausalLM(config).eval()
    folder = os.path.join(OUT, name)
    model.save_pretrained(folder)
    generator = torch.Generator().manual_seed(5)
    ids = torch.randint(0, config.vocab_size, (2, 40), generator=generator)
    mask = torch.ones_like(ids)
    mask[1, 30:] = 0
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float(), "logits": out.logits,
               "last_hidden_state": out.hidden_states[-1]}
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(folder, "expect.safetensors"))
    print(name, model.model.rotary_emb.inv_freq.tolist())


case("llama_rope_llama3", 21, {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                               "original_max_position_embeddings": 32})
case("llama_rope_linear", 22, {"rope_type": "linear", "factor": 4.0})


def gguf_with_rope_freqs(name):
    """The llama3 model as llama.cpp's converter writes it: Q and K rows permuted for interleaved RoPE, and Llama
    3.1's scaling as one divisor per frequency in `rope_freqs.weight` (F32). Its expected logits are the folder's
    (transformers' on the same weights): written to Fixtures/NAME.f32.gguf and NAME.f32.expect.safetensors."""
    import math

    import gguf
    import gguf_layout
    from safetensors.torch import load_file

    folder = os.path.join(OUT, name)
    config = LlamaConfig.from_pretrained(folder)
    weights = load_file(os.path.join(folder, "model.safetensors"))
    scaling = config.rope_parameters
    dim = config.hidden_size // config.num_attention_heads
    freqs = 1.0 / (config.rope_parameters["rope_theta"] ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim))
    factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
    old = scaling["original_max_position_embeddings"]
    rope_factors = []
    for freq in freqs.tolist():
        wavelength = 2 * math.pi / freq
        if wavelength < old / high:
            rope_factors.append(1.0)
        elif wavelength > old / low:
            rope_factors.append(factor)
        else:
            smooth = (old / wavelength - low) / (high - low)
            rope_factors.append(1 / ((1 - smooth) / factor + smooth))

    def permute(w, heads):
        return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)

    writer = gguf.GGUFWriter(os.path.join(OUT, name + ".f32.gguf"), "llama")
    gguf_layout.add_config(writer, config)
    writer.add_rope_dimension_count(dim)
    writer.add_vocab_size(config.vocab_size)
    writer.add_tensor("rope_freqs.weight", torch.tensor(rope_factors, dtype=torch.float32).numpy())
    for key, tensor in weights.items():
        out = gguf_layout.gguf_name(key)
        if key.endswith("q_proj.weight"):
            tensor = permute(tensor, config.num_attention_heads)
        elif key.endswith("k_proj.weight"):
            tensor = permute(tensor, config.num_key_value_heads)
        writer.add_tensor(out, tensor.float().numpy())
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    expect = load_file(os.path.join(folder, "expect.safetensors"))
    save_file({k: expect[k] for k in ["input_ids", "attention_mask", "logits"]},
              os.path.join(OUT, name + ".f32.expect.safetensors"))


gguf_with_rope_freqs("llama_rope_llama3")
