"""torchvision module outputs and their gradients, as nnview's activation capture must give them.
Writes Tests/ArchitecturesTests/Fixtures/vision_activations.safetensors: for mobilenet_v2 and resnet18 in eval mode
with the formula weights of formula_weights.py (as vision_architectures.py uses them) on its `input`
[1, 3, 32, 32] = sin(0.01 · i), with loss = cross_entropy(logits, class 3):
NAME/act/MODULE (a forward hook's output) and NAME/actgrad/MODULE (that output's retain_grad gradient) for a few
modules of each, under torchvision's paths, and NAME/loss.
Run with /work/venv/bin/python scripts/reference/vision_activations.py.
"""
import torch
import torchvision
from safetensors.torch import save_file

from formula_weights import formula_state_dict

FIXTURES = "Tests/ArchitecturesTests/Fixtures/"
MODULES = {
    "mobilenet_v2": ["features.1", "features.3", "features.7", "features.18", "classifier"],
    "resnet18": ["layer1", "layer3.1", "layer4", "avgpool", "fc"],
}


x = torch.sin(0.01 * torch.arange(3 * 32 * 32, dtype=torch.float64)).reshape(1, 3, 32, 32).to(torch.float32)
tensors = {}
for name, paths in MODULES.items():
    model = getattr(torchvision.models, name)(weights=None)
    model.load_state_dict(formula_state_dict(model))
    model.eval()
    outputs = {}

    def keep(path):
        def hook(module, inputs, output):
            output.retain_grad()
            outputs[path] = output
        return hook

    modules = dict(model.named_modules())
    for path in paths:
        modules[path].register_forward_hook(keep(path))
    logits = model(x)
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor([3]))
    loss.backward()
    tensors[f"{name}/loss"] = loss.detach().reshape(1)
    for path in paths:
        tensors[f"{name}/act/{path}"] = outputs[path].detach().contiguous()
        tensors[f"{name}/actgrad/{path}"] = outputs[path].grad.contiguous()
save_file(tensors, FIXTURES + "vision_activations.safetensors")
