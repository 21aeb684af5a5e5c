"""Writes the BatchNorm reference cases of Tests/ModelFilesTests/Fixtures/reference (PyTorch, CPU, float32):
BatchNorm1d on [N, C] and [N, C, L], and `momentum=None` (a cumulative moving average of the batch statistics).

Same layout as the other cases (see that folder's README.md): NAME.nn, NAME.weights.safetensors (parameters and
buffers), NAME.input.safetensors, NAME.args, NAME.expect.safetensors (`output` of the first step, `loss` per step,
`param/`, `grad/` and `buffer/` after the last step). Each step: zero grads, forward (train mode), loss, backward,
`p -= lr * p.grad`.

Run: /work/venv/bin/python scripts/reference/make_batchnorm_cases.py
"""
import os

import torch
from safetensors.torch import save_file
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ModelFilesTests", "Fixtures", "reference")


def write_case(name, spec, model, input, target, loss_name, steps, lr, seed):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".nn"), "w") as f:
        f.write(spec.strip() + "\n")
    with open(os.path.join(OUT, name + ".args"), "w") as f:
        f.write(f"loss={loss_name} steps={steps} lr={lr} zero_grad=True\n")
    save_file({k: v.clone().contiguous() for k, v in model.state_dict().items()},
              os.path.join(OUT, name + ".weights.safetensors"))
    inputs = {"input": input}
    if target is not None:
        inputs["target"] = target
    save_file(inputs, os.path.join(OUT, name + ".input.safetensors"))
    model.train()
    losses, first = [], None
    for _ in range(steps):
        model.zero_grad()
        out = model(input)
        if first is None:
            first = out.detach().clone()
        if loss_name == "cross-entropy":
            value = nn.functional.cross_entropy(out, target)
        elif loss_name == "mse":
            value = nn.functional.mse_loss(out, target)
        else:
            value = out.sum()
        value.backward()
        losses.append(value.item())
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
    expect = {"output": first, "loss": torch.tensor(losses, dtype=torch.float32)}
    for n, p in model.named_parameters():
        expect["param/" + n] = p.detach().clone()
        expect["grad/" + n] = p.grad.detach().clone()
    for n, b in model.named_buffers():
        expect["buffer/" + n] = b.detach().clone()
    save_file(expect, os.path.join(OUT, name + ".expect.safetensors"))
    print(name, "seed", seed, "losses", losses)


def main():
    # BatchNorm1d over features [N, C]: batch statistics per column, running statistics with momentum 0.1.
    torch.manual_seed(31)
    model = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
    x = torch.rand(5, 6)
    y = torch.randint(0, 3, (5,))
    write_case("bn1d_features_ce", """
model = Sequential(Linear(6, 8), BatchNorm1d(8), ReLU(), Linear(8, 3))
input = rand(5, 6)
target = randint(0, 3, 5)
loss = "cross-entropy"
""", model, x, y, "cross-entropy", 3, 0.1, 31)

    # BatchNorm1d over a sequence [N, C, L] (statistics over N and L), eps 1e-3, momentum=None: the running
    # statistics are the plain average of every batch's so far (PyTorch's cumulative moving average).
    torch.manual_seed(32)
    model = nn.Sequential(nn.BatchNorm1d(4, eps=1e-3, momentum=None), nn.Flatten(), nn.Linear(20, 2))
    x = torch.rand(3, 4, 5) * 3 + 1
    y = torch.randn(3, 2)
    write_case("bn1d_sequence_cumulative_mse", """
model = Sequential(BatchNorm1d(4, eps=0.001, momentum=None), Flatten(), Linear(20, 2))
input = rand(3, 4, 5)
target = randn(3, 2)
loss = mse
""", model, x, y, "mse", 3, 0.2, 32)

    # BatchNorm2d(momentum=None) after a convolution, 3 steps: the first step's factor is 1 (the running
    # statistics become the batch's), then 1/2, then 1/3; momentum 0.1 would give different buffers.
    torch.manual_seed(33)
    model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4, momentum=None), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
    x = torch.rand(3, 2, 5, 5)
    write_case("bn2d_momentum_none_sum", """
model = Sequential(Conv2d(2, 4, 3, padding=1), BatchNorm2d(4, momentum=None), ReLU(), AdaptiveAvgPool2d(1),
                   Flatten(), Linear(4, 2))
input = rand(3, 2, 5, 5)
loss = sum
""", model, x, None, "sum", 3, 0.05, 33)


if __name__ == "__main__":
    main()
