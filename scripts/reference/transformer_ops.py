"""Reference values for NNCore's transformer ops, computed by PyTorch and transformers.

Writes Tests/NNCoreTests/Fixtures/transformer_ops/OP.safetensors (float32). Each file holds several cases; the
tensors of case N are named `caseN.NAME`: the inputs, `grad_output` (the upstream gradient: the loss is
sum(output * grad_output)), the output(s) and `grad_INPUT` for each input that takes a gradient. Scalar arguments
(scale, eps, theta, times, dim, causal flags) are stored as one-element tensors named `caseN.arg_NAME`.

Run with the project's venv from the repository root: /work/venv/bin/python scripts/reference/transformer_ops.py
"""
import os

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from transformers.masking_utils import (bidirectional_mask_function, causal_mask_function, eager_mask)
from transformers.models.llama.configuration_llama import LlamaConfig
from transformers.models.llama.modeling_llama import (LlamaRMSNorm, LlamaRotaryEmbedding, apply_rotary_pos_emb,
                                                      repeat_kv)
from transformers.pytorch_utils import Conv1D

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "NNCoreTests", "Fixtures", "transformer_ops")
MIN = torch.finfo(torch.float32).min


class Writer:
    def __init__(self):
        self.tensors = {}
        self.count = 0

    def case(self, inputs, outputs, args=None, grads_for=None):
        """inputs: name → tensor (leaves); outputs: name → tensor built from them; the first output is
        backpropagated with a random upstream gradient. grads_for: input names whose gradient is stored."""
        prefix = f"case{self.count}."
        self.count += 1
        first = next(iter(outputs.values()))
        grad_output = torch.randn(first.shape)
        if grads_for:
            (first * grad_output).sum().backward()
            for name in grads_for:
                self.tensors[prefix + "grad_" + name] = inputs[name].grad.detach().clone()
        for name, t in inputs.items():
            self.tensors[prefix + name] = t.detach().clone().float().contiguous()
        for name, t in outputs.items():
            self.tensors[prefix + name] = t.detach().clone().float().contiguous()
        self.tensors[prefix + "grad_output"] = grad_output
        for name, value in (args or {}).items():
            self.tensors[prefix + "arg_" + name] = torch.tensor([float(value)])

    def save(self, op):
        save_file(self.tensors, os.path.join(OUT, op + ".safetensors"))


def leaf(*shape, scale=1.0):
    return (torch.randn(*shape) * scale).requires_grad_(True)


def attention_cases():
    w = Writer()

    def eager_attention(q, k, v, mask, scale):
        # transformers' eager_attention_forward without dropout: matmul, + mask, softmax in float32, matmul.
        scores = q @ k.transpose(-1, -2) * scale + mask
        return torch.softmax(scores, -1, dtype=torch.float32) @ v

    def sdpa_case(b, h, tq, tk, d, dv, mask=None, causal=False, scale=None, mask_grad=False, eager=False):
        q, k, v = leaf(b, h, tq, d), leaf(b, h, tk, d), leaf(b, h, tk, dv)
        inputs = {"query": q, "key": k, "value": v}
        grads = ["query", "key", "value"]
        if mask is not None:
            mask = mask.clone().requires_grad_(mask_grad)
            inputs["mask"] = mask
            if mask_grad:
                grads.append("mask")
        if eager:
            out = eager_attention(q, k, v, mask, scale if scale is not None else 1 / d ** 0.5)
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal, scale=scale)
        # The probabilities as PyTorch's math path forms them (no dropout).
        with torch.no_grad():
            s = scale if scale is not None else 1 / d ** 0.5
            scores = q @ k.transpose(-1, -2) * s
            if causal:
                scores = scores.masked_fill(torch.ones(tq, tk, dtype=torch.bool).tril().logical_not(), float("-inf"))
            if mask is not None:
                scores = scores + mask
            probabilities = torch._safe_softmax(scores, -1)
        w.case(inputs, {"output": out, "probabilities": probabilities},
               args={"causal": int(causal), "scale": scale if scale is not None else 0, "has_scale": scale is not None},
               grads_for=grads)

    torch.manual_seed(1)
    sdpa_case(2, 3, 5, 5, 8, 8)
    # Padding mask from transformers (finfo.min), Tq ≠ Tk, Dv ≠ D, and one query row masked everywhere.
    padding = eager_mask(2, 4, 6, mask_function=bidirectional_mask_function,
                         attention_mask=torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]]).bool())
    padding = padding.expand(2, 1, 4, 6).clone()
    padding[0, 0, 2, :] = MIN
    sdpa_case(2, 2, 4, 6, 4, 5, mask=padding)
    # Causal with an explicit scale and odd sizes.
    sdpa_case(1, 2, 7, 7, 6, 3, causal=True, scale=0.3)
    # -inf mask with a fully masked row (PyTorch gives zeros there), and the mask's own gradient.
    inf_mask = torch.randn(1, 3, 3, 4)
    inf_mask[0, :, 1, :] = float("-inf")
    inf_mask[0, 1, 0, 2] = float("-inf")
    sdpa_case(1, 3, 3, 4, 5, 5, mask=inf_mask)
    sdpa_case(2, 1, 3, 4, 5, 2, mask=torch.randn(1, 1, 3, 4), mask_grad=True)
    # transformers' causal eager mask for a left-padded batch: the first two queries of batch 1 see no real key, so
    # their rows are finfo.min everywhere and attend uniformly. Computed as transformers' eager attention does: on
    # such rows PyTorch's fused CPU kernel reports gradients Tk times too large (its saved logsumexp, finfo.min +
    # log Tk, rounds to finfo.min, so it recomputes each probability as 1 instead of 1/Tk).
    causal_padding = eager_mask(2, 5, 5, mask_function=causal_mask_function,
                                attention_mask=torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]]).bool())
    sdpa_case(2, 2, 5, 5, 4, 4, mask=causal_padding, eager=True)
    w.save("attention")


def mask_cases():
    w = Writer()
    cases = [
        (torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]), 5, False, bidirectional_mask_function),
        (torch.tensor([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]]), 5, True, causal_mask_function),
        (torch.tensor([[1, 1, 1, 1, 0, 1]]), 3, True, causal_mask_function),
        (torch.tensor([[0, 1, 1, 1]]), 1, False, bidirectional_mask_function),
    ]
    for mask, tq, causal, function in cases:
        tk = mask.shape[1]
        out = eager_mask(mask.shape[0], tq, tk, q_offset=tk - tq, mask_function=function, attention_mask=mask.bool())
        w.case({"attention_mask": mask.float()}, {"output": out.expand(mask.shape[0], 1, tq, tk)},
               args={"query_length": tq, "causal": int(causal)})
    w.save("attention_mask")


def rms_norm_cases():
    w = Writer()
    torch.manual_seed(2)
    for shape, eps, with_weight in [((2, 3, 8), 1e-6, True), ((5, 7), 1e-5, True), ((3, 2, 4), 1e-6, False)]:
        norm = LlamaRMSNorm(shape[-1], eps=eps)
        x = leaf(*shape, scale=2.0)
        if with_weight:
            with torch.no_grad():
                norm.weight.copy_(torch.rand(shape[-1]) + 0.5)
            out = norm(x)
            w.case({"x": x, "weight": norm.weight}, {"output": out}, args={"eps": eps, "has_weight": 1},
                   grads_for=["x", "weight"])
        else:
            xf = x.float()
            out = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)
            w.case({"x": x}, {"output": out}, args={"eps": eps, "has_weight": 0}, grads_for=["x"])
    w.save("rms_norm")


def rotary_cases():
    w = Writer()
    torch.manual_seed(3)
    for b, h, d, theta, positions in [(1, 2, 8, 10000.0, list(range(6))),
                                      (2, 3, 6, 10000.0, [[3, 1, 4, 1, 5], [9, 2, 6, 5, 3]]),
                                      (1, 1, 16, 500000.0, [0, 17, 255, 1023, 2047])]:
        config = LlamaConfig(hidden_size=d * h, num_attention_heads=h, head_dim=d,
                             rope_parameters={"rope_type": "default", "rope_theta": theta})
        rotary = LlamaRotaryEmbedding(config)
        ids = torch.tensor(positions)
        if ids.dim() == 1:
            ids = ids[None].expand(b, -1)
        t = ids.shape[1]
        x = leaf(b, h, t, d)
        cos, sin = rotary(x, ids)  # [B, T, D]
        per_batch = not all(positions[0] == p for p in positions) if isinstance(positions[0], list) else False
        cos = (cos if per_batch else cos[0]).detach().requires_grad_(True)
        sin = (sin if per_batch else sin[0]).detach().requires_grad_(True)
        unsqueeze = 1 if per_batch else 0
        out, _ = apply_rotary_pos_emb(x, x, cos, sin, unsqueeze_dim=unsqueeze)
        position_list = ids[0].tolist() if not per_batch else ids.flatten().tolist()
        w.case({"x": x, "cos": cos, "sin": sin, "positions": torch.tensor(position_list, dtype=torch.float32),
                "inv_freq": rotary.inv_freq},
               {"output": out}, args={"theta": theta, "per_batch": int(per_batch)}, grads_for=["x", "cos", "sin"])
    w.save("rotary")


def small_op_cases():
    torch.manual_seed(4)
    w = Writer()
    for shape, times in [((2, 2, 3, 4), 3), ((1, 3, 5, 2), 2), ((1, 1, 2, 3), 1)]:
        x = leaf(*shape)
        w.case({"x": x}, {"output": repeat_kv(x, times)}, args={"times": times}, grads_for=["x"])
    w.save("repeat_kv")

    w = Writer()
    for x_shape, out_features, with_bias in [((2, 3, 5), 7, True), ((4, 6), 3, True), ((1, 2, 2, 3), 4, False)]:
        conv = Conv1D(out_features, x_shape[-1])
        with torch.no_grad():
            conv.weight.normal_()
            conv.bias.normal_()
        x = leaf(*x_shape)
        inputs = {"x": x, "weight": conv.weight}
        if with_bias:
            inputs["bias"] = conv.bias
            out = conv(x)
        else:
            out = x @ conv.weight
        w.case(inputs, {"output": out}, args={"has_bias": int(with_bias)}, grads_for=list(inputs))
    w.save("conv1d")

    w = Writer()
    for hidden_shape, mask in [((2, 4, 5), [[1, 1, 0, 0], [1, 1, 1, 1]]), ((3, 3, 2), [[1, 0, 1], [0, 0, 0], [0, 1, 0]])]:
        hidden = leaf(*hidden_shape)
        m = torch.tensor(mask, dtype=torch.float32).requires_grad_(True)
        expanded = m.unsqueeze(-1).expand(hidden.size())
        out = torch.sum(hidden * expanded, 1) / torch.clamp(expanded.sum(1), min=1e-9)
        w.case({"hidden": hidden, "attention_mask": m}, {"output": out}, grads_for=["hidden", "attention_mask"])
    w.save("mean_pool")

    w = Writer()
    for shape, dim in [((3, 6), -1), ((2, 4, 3), 1), ((2, 5), 1)]:
        x = torch.randn(*shape)
        if shape == (2, 5):
            x[1] = 0  # a zero row: the norm is clamped at eps
        x.requires_grad_(True)
        w.case({"x": x}, {"output": F.normalize(x, p=2, dim=dim)}, args={"dim": dim}, grads_for=["x"])
    w.save("l2_normalize")

    w = Writer()
    x = torch.randn(3, 6) * 3
    x[0, 2] = MIN
    x[1, :] = MIN
    x[2, 4] = float("-inf")
    x.requires_grad_(True)
    w.case({"x": x}, {"output": torch.softmax(x, -1)}, grads_for=["x"])
    x = leaf(2, 3, 4, scale=4.0)
    w.case({"x": x}, {"output": torch.softmax(x, 1)}, args={"dim": 1}, grads_for=["x"])
    w.save("softmax")

    w = Writer()
    grid = torch.cat([torch.linspace(-8, 8, 161), torch.randn(40) * 3]).requires_grad_(True)
    w.case({"x": grid}, {"output": F.gelu(grid)}, args={"tanh": 0}, grads_for=["x"])
    grid2 = grid.detach().clone().requires_grad_(True)
    w.case({"x": grid2}, {"output": F.gelu(grid2, approximate="tanh")}, args={"tanh": 1}, grads_for=["x"])
    w.save("gelu")

    w = Writer()
    # 4-d batched products: Q·Kᵀ through a transposed view, a shared 2-d right operand, and partly broadcast batches.
    q, k = leaf(2, 3, 4, 5), leaf(2, 3, 6, 5)
    w.case({"a": q, "b": k}, {"output": q @ k.transpose(-1, -2)}, args={"transpose_b": 1}, grads_for=["a", "b"])
    a, b = leaf(2, 3, 4, 5), leaf(5, 7)
    w.case({"a": a, "b": b}, {"output": a @ b}, args={"transpose_b": 0}, grads_for=["a", "b"])
    a, b = leaf(2, 1, 4, 5), leaf(1, 3, 5, 2)
    w.case({"a": a, "b": b}, {"output": a @ b}, args={"transpose_b": 0}, grads_for=["a", "b"])
    a, b = leaf(4, 5), leaf(3, 5, 6)
    w.case({"a": a, "b": b}, {"output": a @ b}, args={"transpose_b": 0}, grads_for=["a", "b"])
    w.save("matmul")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    attention_cases()
    mask_cases()
    rms_norm_cases()
    rotary_cases()
    small_op_cases()
    print("wrote", sorted(os.listdir(OUT)))
