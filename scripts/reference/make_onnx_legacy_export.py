"""The llama fixture model exported by torch.onnx's older TorchScript exporter (dynamo=False, opset 14): shape
arithmetic through Shape/Gather/Concat, Constant nodes, Range, Cos/Sin rotary tables computed in the graph,
dynamic batch and sequence axes. Writes llama_legacy14.{onnx,input.safetensors,expect.safetensors} (onnxruntime's
output) into Tests/ArchitecturesTests/Fixtures/onnx/. Run with /work/venv/bin/python."""
import os
import torch
import onnxruntime
from transformers import AutoModelForCausalLM
from safetensors.numpy import save_file

OUT = os.path.join(os.path.dirname(__file__), "../../Tests/ArchitecturesTests/Fixtures/onnx")
torch.manual_seed(0)


class Wrap(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, input_ids, attention_mask):
        return self.m(input_ids=input_ids, attention_mask=attention_mask).logits


model = AutoModelForCausalLM.from_pretrained("/work/shared/fixtures/architectures/llama").eval()
ids = torch.randint(1, 500, (2, 9))
mask = torch.ones(2, 9, dtype=torch.int64)
mask[1, 6:] = 0
path = os.path.join(OUT, "llama_legacy14.onnx")
torch.onnx.export(Wrap(model), (ids, mask), path, input_names=["input_ids", "attention_mask"], output_names=["output"],
                  opset_version=14, dynamo=False,
                  dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}})
feed = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
result = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, feed)
save_file(feed, path.replace(".onnx", ".input.safetensors"))
save_file({"output": result[0]}, path.replace(".onnx", ".expect.safetensors"))
