#!/bin/sh
# Runs the C side of image decoding (Sources/CImageCodecs/shim.h) over the image fixtures and any extra folders
# given (e.g. a corpus of mutated files) under AddressSanitizer + UBSan + LeakSanitizer, then valgrind memcheck
# when it is installed. The Swift test binary cannot run under valgrind, hence this C harness.
set -eu
cd "$(dirname "$0")/.."
fixtures=Tests/ImagesTests/Fixtures
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
clang -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
    -I/usr/include/libpng16 scripts/image_codecs_harness.c -o "$out/harness-asan" -lpng16 -ljpeg
"$out/harness-asan" "$fixtures/images" "$fixtures/hostile" "$fixtures/extreme" "$@"
if command -v valgrind >/dev/null; then
    cc -g -O1 -I/usr/include/libpng16 scripts/image_codecs_harness.c -o "$out/harness" -lpng16 -ljpeg
    valgrind --quiet --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
        "$out/harness" "$fixtures/images" "$fixtures/hostile" "$@"
fi
echo "image codecs: no memory errors or leaks"
