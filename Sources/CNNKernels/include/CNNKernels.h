// The matrix-product inner loops that need AVX2 + FMA to be fast, compiled twice: once for any CPU (portable) and
// once with __attribute__((target("avx2,fma"))). NNCore passes the variant to every call; `cnn_best_variant`
// picks the fastest one this CPU runs, so one binary is fast on AVX2 machines and correct everywhere.
#ifndef CNNKERNELS_H
#define CNNKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A compiled variant of the kernels.
typedef enum {
    /// Plain vector code for the build's baseline CPU (SSE2 on x86-64): multiply, then add.
    CNN_VARIANT_PORTABLE = 0,
    /// 256-bit AVX2 with fused multiply-add (x86-64 only).
    CNN_VARIANT_AVX2_FMA = 1,
} cnn_variant;

/// The fastest variant this CPU runs (read once from the CPU's features).
cnn_variant cnn_best_variant(void);

/// Whether this CPU (and this build) can run `variant`.
int cnn_variant_supported(cnn_variant variant);

/// The 6×16 tile `a(6×kc) · b(kc×16)` of a packed product, stored into c (row stride ldc) or added to it.
/// `a` holds column p of a 6-row panel at p*6, `b` row p of a 16-column panel at p*16 (both zero-padded).
void cnn_gemm_tile_6x16(cnn_variant variant, ptrdiff_t kc, const float *a, const float *b,
                        float *c, ptrdiff_t ldc, int accumulate);

/// The same tile with A unpacked: row i of the 6×kc block at a[i*lda ..< i*lda + kc].
void cnn_gemm_tile_6x16_rows(cnn_variant variant, ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b,
                             float *c, ptrdiff_t ldc, int accumulate);

/// Packs a 16-column panel of B = Sᵀ from `width` ≤ 16 rows of S (row j at b + j*ldb, kb floats used):
/// panel[p*16 + j] = b[j*ldb + p], zero for columns j ≥ width. Packing is a copy, so both variants give the same bits.
void cnn_pack_b_transposed(cnn_variant variant, ptrdiff_t kb, int width, const float *b, ptrdiff_t ldb,
                           float *panel);

/// c[r*ldc + s] = Σₚ a[r*k + p]·b[s*k + p] for r < rows ≤ 4 and s < columns ≤ 3: a tile of A·Bᵀ.
void cnn_dot_tile(cnn_variant variant, int rows, int columns, const float *a, const float *b, float *c,
                  ptrdiff_t k, ptrdiff_t ldc);

/// out[r] = Σₚ a[p]·rows[r*k + p] for r < 8: eight dot products of one row with eight consecutive rows.
void cnn_dot_row_group(cnn_variant variant, const float *a, const float *rows, ptrdiff_t k, float *out);

/// c[0 ..< 8*strips] = Σₜ values[t]·b[offsets[t] ..< +8*strips] for t < count, with 1 ≤ strips ≤ 8: one row
/// block of a product that skips A's zeros (offsets index b; values are the non-zeros).
void cnn_sparse_row_block(cnn_variant variant, int strips, const ptrdiff_t *offsets, const float *values,
                          ptrdiff_t count, const float *b, float *c);

/// C (m×n) = A·Bᵀ for A m×k and B n×k, rows contiguous, by groups of eight dot products: for tiny batches.
void cnn_dot_rows(cnn_variant variant, const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n,
                  ptrdiff_t k);

/// C (m×n) = op(A)·B for B k×n row-major, element (i, p) of op(A) at a[i*a_row_step + p*a_column_step],
/// unpacked: for tiny batches.
void cnn_direct_rows(cnn_variant variant, const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n,
                     ptrdiff_t k, ptrdiff_t a_row_step, ptrdiff_t a_column_step);

/// Columns of every row of C = op(A)·B for k = depth in 1…4, B k×n row-major: `kind` 0 is the 8 columns at
/// `column`, 1 the 16 at `column`, 2 those 16 and the 8 at `tail_column` from the same broadcasts.
void cnn_shallow_strip(cnn_variant variant, int depth, int kind, const float *a, const float *b, float *c,
                       ptrdiff_t m, ptrdiff_t n, ptrdiff_t column, ptrdiff_t tail_column, ptrdiff_t a_row_step,
                       ptrdiff_t a_column_step);

#ifdef __cplusplus
}
#endif

// The AVX-512 convolution kernels (this header is the module's umbrella, so it brings them into Swift).
#include "CNNConvolution.h"

#endif
