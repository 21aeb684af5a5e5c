// The AVX-512 packed product (gemm_avx512.c), called only through kernels.c's entry points after
// `cnn_variant_supported(CNN_VARIANT_AVX512)`. Not part of the module's public header.
#ifndef CNN_GEMM_AVX512_H
#define CNN_GEMM_AVX512_H

#include <stddef.h>

/// The register tile: rows of A and columns of B per micro-kernel call.
void cnn_gemm512_shape(int *rows, int *columns);

/// The full tile a·b into c (see `cnn_gemm_tile`): A a packed panel, or read in place (rows lda apart) when
/// `in_place`.
void cnn_gemm512_tile(ptrdiff_t kc, const float *a, int in_place, ptrdiff_t lda, const float *b, float *c,
                      ptrdiff_t ldc, int accumulate);

/// One packed block (see `cnn_gemm_block`).
void cnn_gemm512_block(ptrdiff_t mb, ptrdiff_t nb, ptrdiff_t kb, const float *a_rows, ptrdiff_t lda,
                       const float *packed_a, const float *packed_b, float *c, ptrdiff_t ldc, int accumulate);

/// Packing into panels (see `cnn_gemm_pack`).
void cnn_gemm512_pack(int width, ptrdiff_t count, ptrdiff_t depth, const float *src, ptrdiff_t sa, ptrdiff_t sd,
                      float *dst);

#endif
