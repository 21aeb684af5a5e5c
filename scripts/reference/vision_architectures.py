"""torchvision's classifiers as nnview must reproduce them.

Writes into Tests/ArchitecturesTests/Fixtures:
- vision_structure.json: for mobilenet_v2, mobilenet_v3_small, resnet18, resnet34 and resnet50, every state-dict
  name with its shape and dtype (in order) and every module path with its class name.
- vision_logits.safetensors: for mobilenet_v2, mobilenet_v3_small and resnet18 in eval mode, with weights from the
  formula below (so the test can make the same weights without a 45 MB file), NAME/logits for the shared `input`
  [1, 3, 32, 32] = sin(0.01 · i) (i the flat index).

Weights: the state-dict tensor number t (in state_dict() order) with n elements gets v[i] = sin(0.37 · i + t):
- BatchNorm weight: 1 + 0.1 v; bias and running_mean: 0.1 v; running_var: 1 + 0.25 v²; num_batches_tracked: 0;
- every other weight: v / sqrt(fan_in) (fan_in = elements per output row); biases: 0.1 v.
Run with /work/venv/bin/python scripts/reference/vision_architectures.py.
"""
import json
import torch
import torchvision
from safetensors.torch import save_file

from formula_weights import formula_state_dict

FIXTURES = "Tests/ArchitecturesTests/Fixtures/"
names = ["mobilenet_v2", "mobilenet_v3_small", "resnet18", "resnet34", "resnet50"]


structure = {}
tensors = {}
x = torch.sin(0.01 * torch.arange(3 * 32 * 32, dtype=torch.float64)).reshape(1, 3, 32, 32).to(torch.float32)
tensors["input"] = x
for name in names:
    model = getattr(torchvision.models, name)(weights=None)
    structure[name] = {
        "state_dict": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] for k, v in model.state_dict().items()],
        "modules": [[path, type(m).__name__] for path, m in model.named_modules()],
    }
    if name in ("mobilenet_v2", "mobilenet_v3_small", "resnet18"):
        model.load_state_dict(formula_state_dict(model))
        model.eval()
        with torch.no_grad():
            tensors[f"{name}/logits"] = model(x)

with open(FIXTURES + "vision_structure.json", "w") as f:
    json.dump(structure, f, separators=(",", ":"))
save_file(tensors, FIXTURES + "vision_logits.safetensors")
