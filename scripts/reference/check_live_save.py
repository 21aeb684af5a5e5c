"""Checks that a safetensors file the explorer saved (`w`/`W` on a live transformers folder) loads back into
transformers: copies the original folder's config.json next to it, loads the model with from_pretrained (which
fails or warns on missing/unexpected keys) and compares every tensor with the saved file.

usage: check_live_save.py SAVED.safetensors ORIGINAL_FOLDER
"""
import shutil
import sys
import tempfile

import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM, AutoModelForMaskedLM, AutoConfig

saved, original = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as folder:
    shutil.copy(f"{original}/config.json", f"{folder}/config.json")
    shutil.copy(saved, f"{folder}/model.safetensors")
    config = AutoConfig.from_pretrained(folder)
    loader = AutoModelForMaskedLM if config.model_type == "bert" else AutoModelForCausalLM
    model, info = loader.from_pretrained(folder, output_loading_info=True)
    print("loading info:", info)
    assert not info["missing_keys"] and not info["unexpected_keys"], info
    tensors = load_file(saved)
    state = model.state_dict()
    for name, tensor in tensors.items():
        assert torch.equal(state[name], tensor), name
    if config.model_type == "gpt2":
        assert model.lm_head.weight.data_ptr() == model.transformer.wte.weight.data_ptr(), "lm_head is not tied"
    print(f"ok: {len(tensors)} tensors load back into {type(model).__name__}")
