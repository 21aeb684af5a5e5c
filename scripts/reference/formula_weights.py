"""The formula weights of torchvision's classifiers that nnview's vision tests rebuild without a weights file.

State-dict tensor number t (in state_dict() order) with n elements gets v[i] = sin(0.37 · i + t):
- BatchNorm weight: 1 + 0.1 v; bias and running_mean: 0.1 v; running_var: 1 + 0.25 v²; num_batches_tracked: 0;
- every other weight: v / sqrt(fan_in) (fan_in = elements per output row); biases: 0.1 v.
Shared by vision_architectures.py and vision_activations.py.
"""
import math
import torch


def formula_state_dict(model):
    bn_names = {name for name, m in model.named_modules() if isinstance(m, torch.nn.BatchNorm2d)}
    result = {}
    for t, (key, value) in enumerate(model.state_dict().items()):
        owner, _, leaf = key.rpartition(".")
        n = value.numel()
        v = torch.sin(0.37 * torch.arange(n, dtype=torch.float64) + t).reshape(value.shape)
        if leaf == "num_batches_tracked":
            result[key] = torch.zeros_like(value)
            continue
        if owner in bn_names:
            new = {"weight": 1 + 0.1 * v, "bias": 0.1 * v, "running_mean": 0.1 * v, "running_var": 1 + 0.25 * v * v}[leaf]
        elif leaf == "weight":
            new = v / math.sqrt(n // value.shape[0])
        else:
            new = 0.1 * v
        result[key] = new.to(torch.float32)
    return result
