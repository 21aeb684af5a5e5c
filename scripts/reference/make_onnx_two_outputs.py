"""A two-output ONNX graph for the explorer's `L` (which output `b` sums): Linear(4, 3) → tanh gives `hidden`,
Linear(3, 2) on it gives `logits`. Writes Tests/ExplorerTests/Fixtures/onnx/two_outputs.onnx, its input
(`two_outputs.input.safetensors`) and PyTorch's gradients of sum(hidden) and of sum(logits) with respect to every
weight (zero where an output does not depend on it) (`two_outputs.expect.safetensors`, `hidden/grad/NAME` and `logits/grad/NAME` under the initializers' names).
Run with /work/venv/bin/python from the repository root."""
import os

import torch
from safetensors.torch import save_file

OUT = "Tests/ExplorerTests/Fixtures/onnx"


class TwoOutputs(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.first = torch.nn.Linear(4, 3)
        self.second = torch.nn.Linear(3, 2)

    def forward(self, x):
        hidden = torch.tanh(self.first(x))
        return hidden, self.second(hidden)


torch.manual_seed(3)
model = TwoOutputs().eval()
x = torch.randn(2, 4)
path = os.path.join(OUT, "two_outputs.onnx")
torch.onnx.export(model, (x,), path, input_names=["x"], output_names=["hidden", "logits"], opset_version=17,
                  dynamo=False)
expect = {}
for index, name in enumerate(["hidden", "logits"]):
    model.zero_grad()
    model(x)[index].sum().backward()
    for parameter_name, parameter in model.named_parameters():
        # sum(hidden) does not reach `second`: its gradient there is zero.
        grad = parameter.grad if parameter.grad is not None else torch.zeros_like(parameter)
        expect[f"{name}/grad/{parameter_name}"] = grad.clone()
save_file({"x": x}, path.replace(".onnx", ".input.safetensors"))
save_file(expect, path.replace(".onnx", ".expect.safetensors"))
