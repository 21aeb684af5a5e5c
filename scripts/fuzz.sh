#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for SECONDS (default 60) with seed corpora from the test
# fixtures. Crash, timeout and out-of-memory inputs land in fuzz-out/<target>/ (git-ignored); the exec count and
# result of each run are printed at the end.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     TARGET: safetensors pytorch numpy spec gguf onnx (default: all)
#
# The library is built by SwiftPM into its own scratch path with coverage instrumentation and AddressSanitizer
# (-O, as in release builds, which keep overflow and bounds checks); each target is then linked by swiftc
# from its Fuzz/*.swift file plus the library objects, so the fuzzers are never part of `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(safetensors pytorch numpy spec gguf onnx)
SCRATCH="${FUZZ_SCRATCH:-.build-fuzz}"
OUT=fuzz-out
FIXTURES=Tests/ModelFilesTests/Fixtures
mkdir -p "$OUT/bin"

sanitizers="fuzzer,address"
swift build --scratch-path "$SCRATCH" --target ModelFiles \
    -Xswiftc -sanitize="$sanitizers" -Xswiftc -O -Xswiftc -enable-testing >&2
BUILD="$SCRATCH/debug"
OBJECTS=()
for module in NNCore ModulePaths NNModules ZIPFoundation FileFormats ModelFiles; do
    OBJECTS+=("$BUILD/$module.build"/*.o)
done

source_of() {
    case "$1" in
        safetensors) echo Fuzz/FuzzSafeTensors.swift ;;
        pytorch) echo Fuzz/FuzzPyTorch.swift ;;
        numpy) echo Fuzz/FuzzNumPy.swift ;;
        spec) echo Fuzz/FuzzSpec.swift ;;
        gguf) echo Fuzz/FuzzGGUF.swift ;;
        onnx) echo Fuzz/FuzzONNX.swift ;;
        *) echo "unknown target $1" >&2; exit 2 ;;
    esac
}

# Seed corpus: the fixtures of the format, plus the regression inputs already fixed.
seed() {
    local target=$1 corpus=$OUT/$1/corpus
    mkdir -p "$corpus"
    case "$target" in
        safetensors) cp "$FIXTURES"/safetensors/*.safetensors "$FIXTURES"/reference/*.safetensors "$corpus"/ ;;
        pytorch) cp "$FIXTURES"/pytorch/* "$corpus"/ ;;
        numpy) cp "$FIXTURES"/numpy/* "$corpus"/ ;;
        spec) cp "$FIXTURES"/reference/*.nn "$corpus"/; [ -d examples ] && cp examples/*.nn "$corpus"/ 2>/dev/null || true ;;
        gguf) cp "$FIXTURES"/gguf/*.gguf "$corpus"/ ;;
        # The small exports only (max_len is 64 KB); bert_mlm.onnx's 220 KB would be cut.
        onnx) cp "$FIXTURES"/onnx/cnn_small.onnx "$FIXTURES"/onnx/gpt2.onnx "$FIXTURES"/onnx/llama.onnx \
                 "$FIXTURES"/onnx/dtypes.onnx "$corpus"/ ;;
    esac
    if [ -d "$FIXTURES/regressions" ]; then
        find "$FIXTURES/regressions" -name "$target-*" -exec cp {} "$corpus"/ \;
    fi
}

for target in "${TARGETS[@]}"; do
    binary=$OUT/bin/fuzz-$target
    swiftc -sanitize="$sanitizers" -parse-as-library -O -module-name "Fuzz_$target" \
        -I "$BUILD/Modules" -I "$SCRATCH/checkouts/ZIPFoundation/Sources/CZLib" -lz Fuzz/FuzzSupport.swift "$(source_of "$target")" "${OBJECTS[@]}" -o "$binary" >&2
    seed "$target"
done

# ASan's default 256 MB quarantine alone would hit the 256 MB RSS limit; a small one still catches use-after-free.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=16}"
status=0
for target in "${TARGETS[@]}"; do
    mkdir -p "$OUT/$target/artifacts"
    log=$OUT/$target/fuzz.log
    echo "== $target: ${SECONDS_PER_TARGET}s" >&2
    if ! "$OUT/bin/fuzz-$target" "$OUT/$target/corpus" -max_total_time="$SECONDS_PER_TARGET" \
        -rss_limit_mb=256 -malloc_limit_mb=256 -timeout=2 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$OUT/$target/artifacts/" >"$log" 2>&1; then
        status=1
        echo "$target: FOUND A PROBLEM, see $log and $OUT/$target/artifacts/" >&2
    fi
done

for target in "${TARGETS[@]}"; do
    log=$OUT/$target/fuzz.log
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    artifacts=$(find "$OUT/$target/artifacts" -type f | wc -l)
    printf '%-12s %12s execs  %s artifacts\n' "$target" "$runs" "$artifacts"
    # Every run's count is kept, since the log is overwritten by the next run.
    printf '%s %s %ss %s execs %s artifacts\n' "$(date -u +%FT%TZ)" "$target" "$SECONDS_PER_TARGET" "$runs" "$artifacts" \
        >>"$OUT/history.log"
done
exit $status
