"""Tiny Qwen2 and Mistral models (random weights, seed 11) saved with save_pretrained, and what PyTorch computes on
a padded batch of ids: logits, last_hidden_state (the LM head's input), the LM loss with the inputs as labels
(padding -100, shifted inside) and every parameter's gradient. Written to Tests/ArchitecturesTests/Fixtures/.

Run from the package root: /work/venv/bin/python scripts/reference/transformer_variants.py
"""
import os
import torch
from safetensors.torch import save_file
from transformers import MistralConfig, MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM

OUT = "Tests/ArchitecturesTests/Fixtures"


def case(name, model):
    model.eval()
    folder = os.path.join(OUT, name)
    model.save_pretrained(folder)
    generator = torch.Generator().manual_seed(5)
    ids = torch.randint(0, model.config.vocab_size, (2, 12), generator=generator)
    mask = torch.ones_like(ids)
    mask[1, 9:] = 0
    ids[1, 9:] = 0
    labels = ids.masked_fill(mask == 0, -100)
    out = model(input_ids=ids, attention_mask=mask, labels=labels, output_hidden_states=True)
    out.loss.backward()
    tensors = {
        "input_ids": ids.float(), "attention_mask": mask.float(), "labels": labels.float(),
        "logits": out.logits.detach(), "last_hidden_state": out.hidden_states[-1].detach(),
        "loss": out.loss.detach().reshape(1),
    }
    for pname, parameter in model.named_parameters():
        tensors["grad/" + pname] = parameter.grad.detach().clone()
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(folder, "expect.safetensors"))
    print(name, "loss", out.loss.item(), "params", [n for n, _ in model.named_parameters()][:6])


torch.manual_seed(11)
case("qwen2", Qwen2ForCausalLM(Qwen2Config(
    vocab_size=300, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
    num_key_value_heads=1, rope_theta=50000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
    max_position_embeddings=64)))
torch.manual_seed(12)
case("mistral", MistralForCausalLM(MistralConfig(
    vocab_size=300, hidden_size=48, intermediate_size=64, num_hidden_layers=2, num_attention_heads=6,
    num_key_value_heads=2, head_dim=8, rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
    max_position_embeddings=64, sliding_window=5)))
