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
