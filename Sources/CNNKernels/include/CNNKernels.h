// The matrix-product inner loops in C, each compiled once per variant: for any CPU (portable), with
// __attribute__((target("avx2,fma"))), and — for the packed product — with AVX-512 (gemm_avx512.c). NNCore passes
// the variant to every call; `cnn_best_variant` picks the fastest one this CPU and OS run, so one binary is fast
// on AVX2 and AVX-512 machines and correct everywhere. No build flags are needed.
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
    /// AVX-512 (F + VL) for the packed product's 8×32 tiles and packing; AVX2 + FMA for the other kernels (x86-64
    /// only, and only when the OS saves the 512-bit registers).
    CNN_VARIANT_AVX512 = 2,
} cnn_variant;

/// The fastest variant this CPU runs (read once from the CPU's features).
cnn_variant cnn_best_variant(void);

/// Whether this CPU (and this build) can run `variant`.
int cnn_variant_supported(cnn_variant variant);

/// The register tile of `variant`'s packed product: MR rows × NR columns (6×16, or 8×32 for AVX-512).
void cnn_gemm_tile_shape(cnn_variant variant, int *rows, int *columns);

/// The full MR×NR tile `a(MR×kc) · b(kc×NR)` of a packed product, stored into c (row stride ldc) or added to it.
/// `a` holds column p of an MR-row panel at p*MR, `b` row p of an NR-column panel at p*NR (both zero-padded).
void cnn_gemm_tile(cnn_variant variant, ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc,
                   int accumulate);

/// The same tile with A unpacked: row i of the MR×kc block at a[i*lda ..< i*lda + kc].
void cnn_gemm_tile_rows(cnn_variant variant, ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b, float *c,
                        ptrdiff_t ldc, int accumulate);

/// One packed block: C[mb×nb] (row stride ldc; stored, or added to when `accumulate`) = A(mb×kb)·B(kb×nb), B as
/// NR-column panels (panel j at packed_b + j*NR*kb). A is MR-row panels at packed_a (panel i at i*MR*kb), or, when
/// `a_rows` is not NULL, read in place (row i at a_rows + i*lda), with only a ragged last panel of fewer than MR
/// rows packed at packed_a. Edge tiles write only the mb×nb block.
void cnn_gemm_block(cnn_variant variant, ptrdiff_t mb, ptrdiff_t nb, ptrdiff_t kb, const float *a_rows,
                    ptrdiff_t lda, const float *packed_a, const float *packed_b, float *c, ptrdiff_t ldc,
                    int accumulate);

/// Packs `count` entries × `depth` into panels of `width` (MR for A, NR for B): panel q at dst + q*width*depth
/// holds at p*width + i the value src[(q*width + i)*entry_stride + p*depth_stride], zero past `count`. Packing
/// is a copy, so every variant gives the same bits (contiguous entries are copied by vectors, contiguous depths
/// transposed 8×8 at a time).
void cnn_gemm_pack(cnn_variant variant, int width, ptrdiff_t count, ptrdiff_t depth, const float *src,
                   ptrdiff_t entry_stride, ptrdiff_t depth_stride, float *dst);

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
