// Each kernel's loop is written once, as an always-inline body over 8-float vectors, and instantiated twice: in
// a plain function (the portable variant: vector code for the baseline CPU, multiply then add) and in a function
// compiled with target("avx2,fma") (the body is inlined there, so the same vector code becomes 256-bit AVX2 and
// the multiply-adds become vfmadd231ps). Only the dot-row group has a hand-written AVX2 step (masked loads and a
// horizontal-add tree), which has no portable spelling. The AVX-512 variant has its own packed product (8×32
// tiles, gemm_avx512.c) and runs the AVX2 functions for everything else.
#include "CNNKernels.h"
#include "gemm_avx512.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CNN_X86 1
#define CNN_AVX2_FMA __attribute__((target("avx2,fma")))
#endif

#define CNN_INLINE static inline __attribute__((always_inline))

// The 8-float helpers below pass vectors by value; they are always inlined (also at -O0), so no call ever uses
// the ABI clang warns about for 256-bit vectors in functions compiled without AVX.
#pragma clang diagnostic ignored "-Wpsabi"

// No implicit fusing of `a*b + c` in the AVX2 functions: only `multiply_add` fuses, so the scalar and 4-wide
// tails round exactly like the portable variant (and like the Swift loops they replace).
#pragma clang fp contract(off)

typedef float f8 __attribute__((vector_size(32)));
typedef float f4 __attribute__((vector_size(16)));

CNN_INLINE f8 load8(const float *p) {
    f8 v;
    memcpy(&v, p, sizeof v);  // an unaligned load
    return v;
}

CNN_INLINE void store8(float *p, f8 v) { memcpy(p, &v, sizeof v); }

CNN_INLINE f8 splat8(float x) { return (f8){x, x, x, x, x, x, x, x}; }

CNN_INLINE f4 load4(const float *p) {
    f4 v;
    memcpy(&v, p, sizeof v);
    return v;
}

CNN_INLINE void store4(float *p, f4 v) { memcpy(p, &v, sizeof v); }

/// acc + x·y, fused (one rounding) when `fused` (a constant after inlining).
CNN_INLINE f8 multiply_add(f8 acc, f8 x, f8 y, int fused) {
    return fused ? __builtin_elementwise_fma(x, y, acc) : acc + x * y;
}

/// The lanes added first to last, as Swift's `SIMD8.sum()` does: the portable variant then rounds exactly like the
/// Swift loops it replaced, so results (and the explorer's golden screens) did not move.
CNN_INLINE float sum8(f8 v) { return ((((((v[0] + v[1]) + v[2]) + v[3]) + v[4]) + v[5]) + v[6]) + v[7]; }

// MARK: - 6×16 packed-product tile

CNN_INLINE void store_tile_row(float *row, f8 low, f8 high, int accumulate) {
    if (accumulate) {
        low += load8(row);
        high += load8(row + 8);
    }
    store8(row, low);
    store8(row + 8, high);
}

/// Twelve accumulators (6 rows × 2 vectors) stay in registers for the whole kc loop; with the two B vectors and
/// one broadcast A value they fill the 16 AVX2 registers.
CNN_INLINE void gemm_tile_body(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc,
                               int accumulate, int fused) {
    f8 c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
    f8 c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
    for (ptrdiff_t p = 0; p < kc; p++) {
        f8 b0 = load8(b), b1 = load8(b + 8);
        f8 av = splat8(a[0]);
        c00 = multiply_add(c00, av, b0, fused); c01 = multiply_add(c01, av, b1, fused);
        av = splat8(a[1]);
        c10 = multiply_add(c10, av, b0, fused); c11 = multiply_add(c11, av, b1, fused);
        av = splat8(a[2]);
        c20 = multiply_add(c20, av, b0, fused); c21 = multiply_add(c21, av, b1, fused);
        av = splat8(a[3]);
        c30 = multiply_add(c30, av, b0, fused); c31 = multiply_add(c31, av, b1, fused);
        av = splat8(a[4]);
        c40 = multiply_add(c40, av, b0, fused); c41 = multiply_add(c41, av, b1, fused);
        av = splat8(a[5]);
        c50 = multiply_add(c50, av, b0, fused); c51 = multiply_add(c51, av, b1, fused);
        a += 6;
        b += 16;
    }
    store_tile_row(c, c00, c01, accumulate);
    store_tile_row(c + ldc, c10, c11, accumulate);
    store_tile_row(c + 2 * ldc, c20, c21, accumulate);
    store_tile_row(c + 3 * ldc, c30, c31, accumulate);
    store_tile_row(c + 4 * ldc, c40, c41, accumulate);
    store_tile_row(c + 5 * ldc, c50, c51, accumulate);
}

/// The same tile with A read in place from six rows `lda` apart (row i, column p at a[i*lda + p]) instead of a
/// packed panel: a product whose A rows are contiguous (x·Wᵀ, a convolution's weight) skips packing A. The six
/// broadcasts per step come from six sequential streams, which stay in L1/L2 like a packed panel.
CNN_INLINE void gemm_tile_rows_body(ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b, float *c,
                                    ptrdiff_t ldc, int accumulate, int fused) {
    const float *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda, *a4 = a + 4 * lda, *a5 = a + 5 * lda;
    f8 c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
    f8 c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
    for (ptrdiff_t p = 0; p < kc; p++) {
        f8 b0 = load8(b), b1 = load8(b + 8);
        f8 av = splat8(a0[p]);
        c00 = multiply_add(c00, av, b0, fused); c01 = multiply_add(c01, av, b1, fused);
        av = splat8(a1[p]);
        c10 = multiply_add(c10, av, b0, fused); c11 = multiply_add(c11, av, b1, fused);
        av = splat8(a2[p]);
        c20 = multiply_add(c20, av, b0, fused); c21 = multiply_add(c21, av, b1, fused);
        av = splat8(a3[p]);
        c30 = multiply_add(c30, av, b0, fused); c31 = multiply_add(c31, av, b1, fused);
        av = splat8(a4[p]);
        c40 = multiply_add(c40, av, b0, fused); c41 = multiply_add(c41, av, b1, fused);
        av = splat8(a5[p]);
        c50 = multiply_add(c50, av, b0, fused); c51 = multiply_add(c51, av, b1, fused);
        b += 16;
    }
    store_tile_row(c, c00, c01, accumulate);
    store_tile_row(c + ldc, c10, c11, accumulate);
    store_tile_row(c + 2 * ldc, c20, c21, accumulate);
    store_tile_row(c + 3 * ldc, c30, c31, accumulate);
    store_tile_row(c + 4 * ldc, c40, c41, accumulate);
    store_tile_row(c + 5 * ldc, c50, c51, accumulate);
}

/// One packed block of the 6×16 variants: C[mb×nb] (stored, or added to when `accumulate`) = A(mb×kb)·B(kb×nb).
/// B is 16-column panels (panel at jr*kb); A is 6-row panels (panel at ir*kb), or, when `a_rows` is given, read in
/// place there (row i at a_rows + i*lda) with only a ragged last panel of fewer than 6 rows packed at `packed_a`.
/// Edge tiles run whole into a scratch tile, whose used part is then copied or added. A B panel stays in L1 while
/// the A panels of the block stream past it from L2.
CNN_INLINE void gemm_block_body(ptrdiff_t mb, ptrdiff_t nb, ptrdiff_t kb, const float *a_rows, ptrdiff_t lda,
                                const float *packed_a, const float *packed_b, float *c, ptrdiff_t ldc,
                                int accumulate, int fused) {
    float edge[6 * 16];
    const ptrdiff_t full_rows = mb / 6 * 6;
    for (ptrdiff_t jr = 0; jr < nb; jr += 16) {
        const ptrdiff_t width = nb - jr < 16 ? nb - jr : 16;
        const float *panel = packed_b + jr * kb;
        for (ptrdiff_t ir = 0; ir < mb; ir += 6) {
            const ptrdiff_t height = mb - ir < 6 ? mb - ir : 6;
            float *target = c + ir * ldc + jr;
            const int in_place = a_rows && ir < full_rows;
            const float *a = in_place ? a_rows + ir * lda : packed_a + (a_rows ? 0 : ir * kb);
            if (height == 6 && width == 16) {
                if (in_place) gemm_tile_rows_body(kb, a, lda, panel, target, ldc, accumulate, fused);
                else gemm_tile_body(kb, a, panel, target, ldc, accumulate, fused);
                continue;
            }
            if (in_place) gemm_tile_rows_body(kb, a, lda, panel, edge, 16, 0, fused);
            else gemm_tile_body(kb, a, panel, edge, 16, 0, fused);
            for (ptrdiff_t i = 0; i < height; i++) {
                float *row = target + i * ldc;
                const float *source = edge + i * 16;
                if (accumulate) {
                    for (ptrdiff_t j = 0; j < width; j++) row[j] += source[j];
                } else {
                    for (ptrdiff_t j = 0; j < width; j++) row[j] = source[j];
                }
            }
        }
    }
}

// MARK: - Packing panels

/// Panels of `width` entries (width constant after inlining): panel q, at dst + q*width*depth, holds for each depth
/// p < depth the entries i < width at p*width + i, = src[(q*width + i)*sa + p*sd], zero past `count`. A packed A
/// panel is this with entries = rows (sa = A's row stride, sd = its column stride), a B panel with entries =
/// columns. Packing is a copy, so every variant gives the same bits.
CNN_INLINE void pack_panel_body(int width, ptrdiff_t entries, ptrdiff_t depth, const float *src, ptrdiff_t sa,
                                ptrdiff_t sd, float *panel) {
    if (sa == 1) {
        // Contiguous entries (B as stored, or a transposed A): one short copy per depth.
        for (ptrdiff_t p = 0; p < depth; p++) {
            float *destination = panel + p * width;
            if (entries == width) {
                memcpy(destination, src + p * sd, (size_t)width * sizeof(float));
            } else {
                memcpy(destination, src + p * sd, (size_t)entries * sizeof(float));
                memset(destination + entries, 0, (size_t)(width - entries) * sizeof(float));
            }
        }
        return;
    }
    for (ptrdiff_t i = 0; i < entries; i++) {
        const float *source = src + i * sa;
        for (ptrdiff_t p = 0; p < depth; p++) panel[p * width + i] = source[p * sd];
    }
    for (ptrdiff_t i = entries; i < width; i++) {
        for (ptrdiff_t p = 0; p < depth; p++) panel[p * width + i] = 0;
    }
}

/// All panels of `count` entries, with the widths the 6×16 variants use made constants.
CNN_INLINE void pack_body(int width, ptrdiff_t count, ptrdiff_t depth, const float *src, ptrdiff_t sa,
                          ptrdiff_t sd, float *dst) {
    for (ptrdiff_t q = 0; q < count; q += width) {
        const ptrdiff_t entries = count - q < width ? count - q : width;
        if (width == 6) pack_panel_body(6, entries, depth, src + q * sa, sa, sd, dst + q * depth);
        else if (width == 16) pack_panel_body(16, entries, depth, src + q * sa, sa, sd, dst + q * depth);
        else pack_panel_body(width, entries, depth, src + q * sa, sa, sd, dst + q * depth);
    }
}

#ifdef CNN_X86
/// 8×8 transposes: eight source rows (columns of the panel) of eight floats become eight panel rows of eight.
CNN_AVX2_FMA static inline void transpose8_store(const float *source, ptrdiff_t ldb, float *destination) {
    __m256 r0 = _mm256_loadu_ps(source), r1 = _mm256_loadu_ps(source + ldb);
    __m256 r2 = _mm256_loadu_ps(source + 2 * ldb), r3 = _mm256_loadu_ps(source + 3 * ldb);
    __m256 r4 = _mm256_loadu_ps(source + 4 * ldb), r5 = _mm256_loadu_ps(source + 5 * ldb);
    __m256 r6 = _mm256_loadu_ps(source + 6 * ldb), r7 = _mm256_loadu_ps(source + 7 * ldb);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(destination + 0 * 16, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(destination + 1 * 16, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(destination + 2 * 16, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(destination + 3 * 16, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(destination + 4 * 16, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(destination + 5 * 16, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(destination + 6 * 16, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(destination + 7 * 16, _mm256_permute2f128_ps(u3, u7, 0x31));
}

/// A full 16-wide panel of a transposed B by 8×8 transposes (8 depths × 8 columns at a time), the last kb mod 8
/// depths scalar.
CNN_AVX2_FMA static void pack_b_transposed_avx2(ptrdiff_t kb, const float *b, ptrdiff_t ldb, float *panel) {
    ptrdiff_t vector_end = kb & ~(ptrdiff_t)7;
    for (ptrdiff_t p = 0; p < vector_end; p += 8) {
        transpose8_store(b + p, ldb, panel + p * 16);
        transpose8_store(b + 8 * ldb + p, ldb, panel + p * 16 + 8);
    }
    for (int j = 0; j < 16; j++) {
        const float *source = b + j * ldb;
        for (ptrdiff_t p = vector_end; p < kb; p++) panel[p * 16 + j] = source[p];
    }
}

/// The AVX2 packing: full 16-column panels of a transposed B by 8×8 transposes, everything else as portable.
CNN_AVX2_FMA static void pack_avx2(int width, ptrdiff_t count, ptrdiff_t depth, const float *src, ptrdiff_t sa,
                                   ptrdiff_t sd, float *dst) {
    if (width != 16 || sd != 1) {
        pack_body(width, count, depth, src, sa, sd, dst);
        return;
    }
    for (ptrdiff_t q = 0; q < count; q += 16) {
        if (count - q >= 16) pack_b_transposed_avx2(depth, src + q * sa, sa, dst + q * depth);
        else pack_panel_body(16, count - q, depth, src + q * sa, sa, sd, dst + q * depth);
    }
}
#endif

// MARK: - Dot tiles of A·Bᵀ

/// rows × columns dot sums over the whole depth, reduced once at the end (rows, columns constants after inlining).
CNN_INLINE void dot_tile_body(int rows, int columns, const float *a, const float *b, float *c, ptrdiff_t k,
                              ptrdiff_t ldc, int fused) {
    // One pointer per row, so each load is base + p (no per-row address arithmetic in the loop).
    const float *a_rows[4], *b_rows[3];
    for (int i = 0; i < rows; i++) a_rows[i] = a + i * k;
    for (int j = 0; j < columns; j++) b_rows[j] = b + j * k;
    f8 s[4][3] = {{{0}}};
    ptrdiff_t vector_end = k & ~(ptrdiff_t)7;
    for (ptrdiff_t p = 0; p < vector_end; p += 8) {
        f8 v[3];
        for (int j = 0; j < columns; j++) v[j] = load8(b_rows[j] + p);
        for (int i = 0; i < rows; i++) {
            f8 u = load8(a_rows[i] + p);
            for (int j = 0; j < columns; j++) s[i][j] = multiply_add(s[i][j], u, v[j], fused);
        }
    }
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < columns; j++) {
            float total = sum8(s[i][j]);
            for (ptrdiff_t p = vector_end; p < k; p++) total += a_rows[i][p] * b_rows[j][p];  // the last k mod 8
            c[i * ldc + j] = total;
        }
    }
}

/// One specialisation per tile shape, so the full tile's loop has no branches.
#define CNN_DOT_TILE_SWITCH(fused)                                                           \
    switch (rows * 4 + columns) {                                                            \
    case 4 * 4 + 3: dot_tile_body(4, 3, a, b, c, k, ldc, fused); break;                      \
    case 4 * 4 + 2: dot_tile_body(4, 2, a, b, c, k, ldc, fused); break;                      \
    case 4 * 4 + 1: dot_tile_body(4, 1, a, b, c, k, ldc, fused); break;                      \
    case 3 * 4 + 3: dot_tile_body(3, 3, a, b, c, k, ldc, fused); break;                      \
    case 3 * 4 + 2: dot_tile_body(3, 2, a, b, c, k, ldc, fused); break;                      \
    case 3 * 4 + 1: dot_tile_body(3, 1, a, b, c, k, ldc, fused); break;                      \
    case 2 * 4 + 3: dot_tile_body(2, 3, a, b, c, k, ldc, fused); break;                      \
    case 2 * 4 + 2: dot_tile_body(2, 2, a, b, c, k, ldc, fused); break;                      \
    case 2 * 4 + 1: dot_tile_body(2, 1, a, b, c, k, ldc, fused); break;                      \
    case 1 * 4 + 3: dot_tile_body(1, 3, a, b, c, k, ldc, fused); break;                      \
    case 1 * 4 + 2: dot_tile_body(1, 2, a, b, c, k, ldc, fused); break;                      \
    default: dot_tile_body(1, 1, a, b, c, k, ldc, fused); break;                             \
    }

// MARK: - Eight dot products of one row

/// The portable group: eight vector sums, each reduced, then the ragged end (k mod 8) with scalars.
CNN_INLINE void dot_row_group_body(const float *a, const float *rows, ptrdiff_t k, float *out, int fused) {
    f8 s[8] = {{0}};
    ptrdiff_t vector_end = k & ~(ptrdiff_t)7;
    for (ptrdiff_t p = 0; p < vector_end; p += 8) {
        f8 av = load8(a + p);
        for (int r = 0; r < 8; r++) s[r] = multiply_add(s[r], av, load8(rows + r * k + p), fused);
    }
    for (int r = 0; r < 8; r++) {
        float total = sum8(s[r]);
        const float *row = rows + r * k;
        for (ptrdiff_t p = vector_end; p < k; p++) total += a[p] * row[p];
        out[r] = total;
    }
}

#ifdef CNN_X86
/// The AVX2 group: the ragged end is one masked step (masked-off lanes are zero and never touch memory, so the
/// last row's end is never overrun), and the eight sums are reduced by a vhaddps tree in nine instructions.
CNN_AVX2_FMA static void dot_row_group_avx2(const float *a, const float *rows, ptrdiff_t k, float *out) {
    __m256 s[8];
    for (int r = 0; r < 8; r++) s[r] = _mm256_setzero_ps();
    ptrdiff_t vector_end = k & ~(ptrdiff_t)7;
    for (ptrdiff_t p = 0; p < vector_end; p += 8) {
        __m256 av = _mm256_loadu_ps(a + p);
        for (int r = 0; r < 8; r++) s[r] = _mm256_fmadd_ps(av, _mm256_loadu_ps(rows + r * k + p), s[r]);
    }
    int tail = (int)(k & 7);
    if (tail > 0) {
        // maskload tests each lane's sign bit: lane − tail is negative exactly for the first `tail` lanes.
        __m256i mask = _mm256_sub_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(tail));
        __m256 av = _mm256_maskload_ps(a + vector_end, mask);
        for (int r = 0; r < 8; r++) {
            s[r] = _mm256_fmadd_ps(av, _mm256_maskload_ps(rows + r * k + vector_end, mask), s[r]);
        }
    }
    // [s0 lane0, s1 lane0, s2 lane0, s3 lane0 | the same for lane 1], then one cross-lane add.
    __m256 low = _mm256_hadd_ps(_mm256_hadd_ps(s[0], s[1]), _mm256_hadd_ps(s[2], s[3]));
    __m256 high = _mm256_hadd_ps(_mm256_hadd_ps(s[4], s[5]), _mm256_hadd_ps(s[6], s[7]));
    __m256 total = _mm256_add_ps(_mm256_permute2f128_ps(low, high, 0x20), _mm256_permute2f128_ps(low, high, 0x31));
    _mm256_storeu_ps(out, total);
}
#endif

// MARK: - Row blocks that skip zeros

/// Up to eight independent vector sums, one broadcast per listed non-zero (strips constant after inlining).
CNN_INLINE void sparse_row_block_body(int strips, const ptrdiff_t *offsets, const float *values, ptrdiff_t count,
                                      const float *b, float *c, int fused) {
    f8 s[8] = {{0}};
    for (ptrdiff_t t = 0; t < count; t++) {
        const float *row = b + offsets[t];
        f8 g = splat8(values[t]);
        for (int q = 0; q < strips; q++) s[q] = multiply_add(s[q], g, load8(row + 8 * q), fused);
    }
    for (int q = 0; q < strips; q++) store8(c + 8 * q, s[q]);
}

#define CNN_SPARSE_SWITCH(fused)                                                              \
    switch (strips) {                                                                         \
    case 8: sparse_row_block_body(8, offsets, values, count, b, c, fused); break;            \
    case 7: sparse_row_block_body(7, offsets, values, count, b, c, fused); break;            \
    case 6: sparse_row_block_body(6, offsets, values, count, b, c, fused); break;            \
    case 5: sparse_row_block_body(5, offsets, values, count, b, c, fused); break;            \
    case 4: sparse_row_block_body(4, offsets, values, count, b, c, fused); break;            \
    case 3: sparse_row_block_body(3, offsets, values, count, b, c, fused); break;            \
    case 2: sparse_row_block_body(2, offsets, values, count, b, c, fused); break;            \
    default: sparse_row_block_body(1, offsets, values, count, b, c, fused); break;           \
    }

// MARK: - Whole small products

/// Eight dot products through the variant's group kernel (`fused` selects the AVX2 one).
CNN_INLINE void row_group(const float *a, const float *rows, ptrdiff_t k, float *out, int fused) {
#ifdef CNN_X86
    if (fused) {
        dot_row_group_avx2(a, rows, k, out);
        return;
    }
#endif
    dot_row_group_body(a, rows, k, out, 0);
}

/// Σ x[p]·y[p]: one vector sum, reduced, then the ragged end.
CNN_INLINE float dot_body(const float *x, const float *y, ptrdiff_t k, int fused) {
    f8 acc = {0};
    ptrdiff_t vector_end = k & ~(ptrdiff_t)7;
    for (ptrdiff_t p = 0; p < vector_end; p += 8) acc = multiply_add(acc, load8(x + p), load8(y + p), fused);
    float total = sum8(acc);
    for (ptrdiff_t p = vector_end; p < k; p++) total += x[p] * y[p];
    return total;
}

/// C (m×n) = A·Bᵀ for A m×k and B n×k by groups of eight rows of B. The last n mod 8 outputs are, for short rows
/// (k ≤ 64), one more group shifted left to end at n (it recomputes a few outputs with the same operations, so
/// the same bits); for long rows four at a time, then one at a time.
CNN_INLINE void dot_rows_body(const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                              int fused) {
    int overlap_last_group = n >= 8 && k <= 64;
    ptrdiff_t vector_end = k & ~(ptrdiff_t)7;
    for (ptrdiff_t i = 0; i < m; i++) {
        const float *a_row = a + i * k;
        float *c_row = c + i * n;
        ptrdiff_t j = 0;
        for (; j + 8 <= n; j += 8) row_group(a_row, b + j * k, k, c_row + j, fused);
        if (j == n) continue;
        if (overlap_last_group) {
            row_group(a_row, b + (n - 8) * k, k, c_row + n - 8, fused);
            continue;
        }
        for (; j + 4 <= n; j += 4) {
            const float *r = b + j * k;
            f8 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
            for (ptrdiff_t p = 0; p < vector_end; p += 8) {
                f8 av = load8(a_row + p);
                s0 = multiply_add(s0, av, load8(r + p), fused);
                s1 = multiply_add(s1, av, load8(r + k + p), fused);
                s2 = multiply_add(s2, av, load8(r + 2 * k + p), fused);
                s3 = multiply_add(s3, av, load8(r + 3 * k + p), fused);
            }
            float t0 = sum8(s0), t1 = sum8(s1), t2 = sum8(s2), t3 = sum8(s3);
            for (ptrdiff_t p = vector_end; p < k; p++) {
                float av = a_row[p];
                t0 += av * r[p];
                t1 += av * r[k + p];
                t2 += av * r[2 * k + p];
                t3 += av * r[3 * k + p];
            }
            c_row[j] = t0;
            c_row[j + 1] = t1;
            c_row[j + 2] = t2;
            c_row[j + 3] = t3;
        }
        for (; j < n; j++) c_row[j] = dot_body(a_row, b + j * k, k, fused);
    }
}

/// `strips` (1…4, a constant after inlining) 8-column strips of one row of C from k rows of B.
CNN_INLINE void direct_strips_body(int strips, const float *a_row, ptrdiff_t a_column_step, const float *b,
                                   float *c_row, ptrdiff_t n, ptrdiff_t k, int fused) {
    f8 s[4] = {{0}};
    for (ptrdiff_t p = 0; p < k; p++) {
        f8 av = splat8(a_row[p * a_column_step]);
        const float *b_row = b + p * n;
        for (int q = 0; q < strips; q++) s[q] = multiply_add(s[q], av, load8(b_row + 8 * q), fused);
    }
    for (int q = 0; q < strips; q++) store8(c_row + 8 * q, s[q]);
}

/// C (m×n) = op(A)·B unpacked: a strip of up to 32 columns of a C row stays in registers while all k rows of B
/// stream through it, so C is written once and never re-read. The last n mod 8 columns: four in one register,
/// then single columns, k outermost and multiply then add (the same operations as a scalar dot product from 0).
CNN_INLINE void direct_rows_body(const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                                 ptrdiff_t a_row_step, ptrdiff_t a_column_step, int fused) {
    for (ptrdiff_t i = 0; i < m; i++) {
        const float *a_row = a + i * a_row_step;
        float *c_row = c + i * n;
        ptrdiff_t j = 0;
        for (; j + 32 <= n; j += 32) direct_strips_body(4, a_row, a_column_step, b + j, c_row + j, n, k, fused);
        // The remaining 8-column strips (at most three) in one pass over k: up to three independent chains.
        switch ((n - j) / 8) {
        case 3: direct_strips_body(3, a_row, a_column_step, b + j, c_row + j, n, k, fused); j += 24; break;
        case 2: direct_strips_body(2, a_row, a_column_step, b + j, c_row + j, n, k, fused); j += 16; break;
        case 1: direct_strips_body(1, a_row, a_column_step, b + j, c_row + j, n, k, fused); j += 8; break;
        default: break;
        }
        if (j + 4 <= n) {
            f4 sum = {0};
            for (ptrdiff_t p = 0; p < k; p++) {
                float av = a_row[p * a_column_step];
                sum = sum + (f4){av, av, av, av} * load4(b + p * n + j);
            }
            store4(c_row + j, sum);
            j += 4;
        }
        if (j < n) {
            for (ptrdiff_t column = j; column < n; column++) c_row[column] = 0;
            for (ptrdiff_t p = 0; p < k; p++) {
                float av = a_row[p * a_column_step];
                const float *b_row = b + p * n;
                for (ptrdiff_t column = j; column < n; column++) c_row[column] += av * b_row[column];
            }
        }
    }
}

/// Columns column ..< column+8·width of every row of C = op(A)·B for k = depth ≤ 4 (depth, width 1 or 2 and
/// with_tail constants after inlining): B's depth rows of the strip stay in registers, every row of C takes depth
/// broadcasts. With `with_tail` the 8 columns at tail_column come from the same broadcasts, stored first: where
/// they overlap the strip, the strip's stores (the same values) come last.
CNN_INLINE void shallow_strip_body(int depth, int width, int with_tail, const float *a, const float *b, float *c,
                                   ptrdiff_t m, ptrdiff_t n, ptrdiff_t column, ptrdiff_t tail_column,
                                   ptrdiff_t a_row_step, ptrdiff_t a_column_step, int fused) {
    f8 low[4] = {{0}}, high[4] = {{0}}, tail[4] = {{0}};
    for (int p = 0; p < depth; p++) {
        low[p] = load8(b + p * n + column);
        if (width > 1) high[p] = load8(b + p * n + column + 8);
        if (with_tail) tail[p] = load8(b + p * n + tail_column);
    }
    const float *a_row = a;
    float *c_row = c;
    for (ptrdiff_t i = 0; i < m; i++) {
        f8 av = splat8(a_row[0]);
        f8 l = av * low[0], h = av * high[0], t = av * tail[0];
        for (int p = 1; p < depth; p++) {
            av = splat8(a_row[p * a_column_step]);
            l = multiply_add(l, av, low[p], fused);
            if (width > 1) h = multiply_add(h, av, high[p], fused);
            if (with_tail) t = multiply_add(t, av, tail[p], fused);
        }
        if (with_tail) store8(c_row + tail_column, t);
        store8(c_row + column, l);
        if (width > 1) store8(c_row + column + 8, h);
        a_row += a_row_step;
        c_row += n;
    }
}

#define CNN_SHALLOW_CASE(depth, fused)                                                                        \
    case depth * 4 + 0: shallow_strip_body(depth, 1, 0, a, b, c, m, n, column, tail_column, a_row_step,       \
                                           a_column_step, fused); break;                                     \
    case depth * 4 + 1: shallow_strip_body(depth, 2, 0, a, b, c, m, n, column, tail_column, a_row_step,       \
                                           a_column_step, fused); break;                                     \
    case depth * 4 + 2: shallow_strip_body(depth, 2, 1, a, b, c, m, n, column, tail_column, a_row_step,       \
                                           a_column_step, fused); break;

#define CNN_SHALLOW_SWITCH(fused)                                                                             \
    switch (depth * 4 + kind) {                                                                               \
    CNN_SHALLOW_CASE(1, fused)                                                                                \
    CNN_SHALLOW_CASE(2, fused)                                                                                \
    CNN_SHALLOW_CASE(3, fused)                                                                                \
    CNN_SHALLOW_CASE(4, fused)                                                                                \
    default: break;                                                                                           \
    }

// MARK: - The two variants

static void gemm_tile_portable(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc, int accumulate) {
    gemm_tile_body(kc, a, b, c, ldc, accumulate, 0);
}

static void gemm_block_portable(ptrdiff_t mb, ptrdiff_t nb, ptrdiff_t kb, const float *a_rows, ptrdiff_t lda,
                                const float *packed_a, const float *packed_b, float *c, ptrdiff_t ldc,
                                int accumulate) {
    gemm_block_body(mb, nb, kb, a_rows, lda, packed_a, packed_b, c, ldc, accumulate, 0);
}

static void gemm_tile_rows_portable(ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b, float *c,
                                    ptrdiff_t ldc, int accumulate) {
    gemm_tile_rows_body(kc, a, lda, b, c, ldc, accumulate, 0);
}

static void dot_tile_portable(int rows, int columns, const float *a, const float *b, float *c, ptrdiff_t k,
                              ptrdiff_t ldc) {
    CNN_DOT_TILE_SWITCH(0)
}

static void sparse_row_block_portable(int strips, const ptrdiff_t *offsets, const float *values, ptrdiff_t count,
                                      const float *b, float *c) {
    CNN_SPARSE_SWITCH(0)
}

static void dot_rows_portable(const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k) {
    dot_rows_body(a, b, c, m, n, k, 0);
}

static void direct_rows_portable(const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                                 ptrdiff_t a_row_step, ptrdiff_t a_column_step) {
    direct_rows_body(a, b, c, m, n, k, a_row_step, a_column_step, 0);
}

static void shallow_strip_portable(int depth, int kind, const float *a, const float *b, float *c, ptrdiff_t m,
                                   ptrdiff_t n, ptrdiff_t column, ptrdiff_t tail_column, ptrdiff_t a_row_step,
                                   ptrdiff_t a_column_step) {
    CNN_SHALLOW_SWITCH(0)
}

#ifdef CNN_X86
CNN_AVX2_FMA static void dot_rows_avx2(const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n,
                                       ptrdiff_t k) {
    dot_rows_body(a, b, c, m, n, k, 1);
}

CNN_AVX2_FMA static void direct_rows_avx2(const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n,
                                          ptrdiff_t k, ptrdiff_t a_row_step, ptrdiff_t a_column_step) {
    direct_rows_body(a, b, c, m, n, k, a_row_step, a_column_step, 1);
}

CNN_AVX2_FMA static void shallow_strip_avx2(int depth, int kind, const float *a, const float *b, float *c,
                                            ptrdiff_t m, ptrdiff_t n, ptrdiff_t column, ptrdiff_t tail_column,
                                            ptrdiff_t a_row_step, ptrdiff_t a_column_step) {
    CNN_SHALLOW_SWITCH(1)
}

CNN_AVX2_FMA static void gemm_tile_avx2(ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc,
                                        int accumulate) {
    gemm_tile_body(kc, a, b, c, ldc, accumulate, 1);
}

CNN_AVX2_FMA static void gemm_tile_rows_avx2(ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b,
                                             float *c, ptrdiff_t ldc, int accumulate) {
    gemm_tile_rows_body(kc, a, lda, b, c, ldc, accumulate, 1);
}

CNN_AVX2_FMA static void gemm_block_avx2(ptrdiff_t mb, ptrdiff_t nb, ptrdiff_t kb, const float *a_rows,
                                         ptrdiff_t lda, const float *packed_a, const float *packed_b, float *c,
                                         ptrdiff_t ldc, int accumulate) {
    gemm_block_body(mb, nb, kb, a_rows, lda, packed_a, packed_b, c, ldc, accumulate, 1);
}

CNN_AVX2_FMA static void dot_tile_avx2(int rows, int columns, const float *a, const float *b, float *c,
                                       ptrdiff_t k, ptrdiff_t ldc) {
    CNN_DOT_TILE_SWITCH(1)
}

CNN_AVX2_FMA static void sparse_row_block_avx2(int strips, const ptrdiff_t *offsets, const float *values,
                                               ptrdiff_t count, const float *b, float *c) {
    CNN_SPARSE_SWITCH(1)
}
#endif

// MARK: - Entry points

#ifdef CNN_X86
#include <cpuid.h>

/// Whether the OS saves and restores the AVX-512 state (opmask and all 512 bits of the 32 zmm registers) on a
/// context switch: OSXSAVE set, and XCR0 enabling SSE, AVX, opmask, ZMM_Hi256 and Hi16_ZMM (bits 1, 2, 5, 6, 7).
static int os_saves_avx512_state(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE)) return 0;
    unsigned int low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    (void)high;
    return (low & 0xE6) == 0xE6;
}
#endif

cnn_variant cnn_best_variant(void) {
    if (cnn_variant_supported(CNN_VARIANT_AVX512)) return CNN_VARIANT_AVX512;
    return cnn_variant_supported(CNN_VARIANT_AVX2_FMA) ? CNN_VARIANT_AVX2_FMA : CNN_VARIANT_PORTABLE;
}

int cnn_variant_supported(cnn_variant variant) {
    switch (variant) {
    case CNN_VARIANT_PORTABLE: return 1;
    case CNN_VARIANT_AVX2_FMA:
#ifdef CNN_X86
        __builtin_cpu_init();
        // Also false when the OS does not save the 256-bit registers (the check includes XGETBV).
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
        return 0;
#endif
    case CNN_VARIANT_AVX512:
#ifdef CNN_X86
        __builtin_cpu_init();
        // The AVX-512 variant also runs the AVX2 kernels for everything but the packed product.
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
            && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && os_saves_avx512_state();
#else
        return 0;
#endif
    }
    return 0;
}

// An unsupported variant falls back to the portable code rather than executing an illegal instruction. The
// AVX-512 variant runs the AVX2 functions wherever it has no kernel of its own.
#ifdef CNN_X86
#define CNN_USE_AVX2(variant) ((variant) == CNN_VARIANT_AVX2_FMA || (variant) == CNN_VARIANT_AVX512)
#define CNN_USE_AVX512(variant) ((variant) == CNN_VARIANT_AVX512)
#endif

void cnn_gemm_tile_shape(cnn_variant variant, int *rows, int *columns) {
#ifdef CNN_X86
    if (CNN_USE_AVX512(variant)) {
        cnn_gemm512_shape(rows, columns);
        return;
    }
#endif
    (void)variant;
    *rows = 6;
    *columns = 16;
}

void cnn_gemm_tile(cnn_variant variant, ptrdiff_t kc, const float *a, const float *b, float *c, ptrdiff_t ldc,
                   int accumulate) {
#ifdef CNN_X86
    if (CNN_USE_AVX512(variant)) {
        cnn_gemm512_tile(kc, a, 0, 0, b, c, ldc, accumulate);
        return;
    }
    if (CNN_USE_AVX2(variant)) {
        gemm_tile_avx2(kc, a, b, c, ldc, accumulate);
        return;
    }
#endif
    (void)variant;
    gemm_tile_portable(kc, a, b, c, ldc, accumulate);
}

void cnn_gemm_tile_rows(cnn_variant variant, ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b, float *c,
                        ptrdiff_t ldc, int accumulate) {
#ifdef CNN_X86
    if (CNN_USE_AVX512(variant)) {
        cnn_gemm512_tile(kc, a, 1, lda, b, c, ldc, accumulate);
        return;
    }
    if (CNN_USE_AVX2(variant)) {
        gemm_tile_rows_avx2(kc, a, lda, b, c, ldc, accumulate);
        return;
    }
#endif
    (void)variant;
    gemm_tile_rows_portable(kc, a, lda, b, c, ldc, accumulate);
}

void cnn_gemm_block(cnn_variant variant, ptrdiff_t mb, ptrdiff_t nb, ptrdiff_t kb, const float *a_rows,
                    ptrdiff_t lda, const float *packed_a, const float *packed_b, float *c, ptrdiff_t ldc,
                    int accumulate) {
#ifdef CNN_X86
    if (CNN_USE_AVX512(variant)) {
        cnn_gemm512_block(mb, nb, kb, a_rows, lda, packed_a, packed_b, c, ldc, accumulate);
        return;
    }
    if (CNN_USE_AVX2(variant)) {
        gemm_block_avx2(mb, nb, kb, a_rows, lda, packed_a, packed_b, c, ldc, accumulate);
        return;
    }
#endif
    (void)variant;
    gemm_block_portable(mb, nb, kb, a_rows, lda, packed_a, packed_b, c, ldc, accumulate);
}

void cnn_gemm_pack(cnn_variant variant, int width, ptrdiff_t count, ptrdiff_t depth, const float *src,
                   ptrdiff_t entry_stride, ptrdiff_t depth_stride, float *dst) {
#ifdef CNN_X86
    if (CNN_USE_AVX512(variant)) {
        cnn_gemm512_pack(width, count, depth, src, entry_stride, depth_stride, dst);
        return;
    }
    if (CNN_USE_AVX2(variant)) {
        pack_avx2(width, count, depth, src, entry_stride, depth_stride, dst);
        return;
    }
#endif
    (void)variant;
    pack_body(width, count, depth, src, entry_stride, depth_stride, dst);
}

void cnn_dot_tile(cnn_variant variant, int rows, int columns, const float *a, const float *b, float *c,
                  ptrdiff_t k, ptrdiff_t ldc) {
#ifdef CNN_X86
    if (CNN_USE_AVX2(variant)) {
        dot_tile_avx2(rows, columns, a, b, c, k, ldc);
        return;
    }
#endif
    (void)variant;
    dot_tile_portable(rows, columns, a, b, c, k, ldc);
}

void cnn_dot_row_group(cnn_variant variant, const float *a, const float *rows, ptrdiff_t k, float *out) {
#ifdef CNN_X86
    if (CNN_USE_AVX2(variant)) {
        dot_row_group_avx2(a, rows, k, out);
        return;
    }
#endif
    (void)variant;
    dot_row_group_body(a, rows, k, out, 0);
}

void cnn_sparse_row_block(cnn_variant variant, int strips, const ptrdiff_t *offsets, const float *values,
                          ptrdiff_t count, const float *b, float *c) {
#ifdef CNN_X86
    if (CNN_USE_AVX2(variant)) {
        sparse_row_block_avx2(strips, offsets, values, count, b, c);
        return;
    }
#endif
    (void)variant;
    sparse_row_block_portable(strips, offsets, values, count, b, c);
}

void cnn_dot_rows(cnn_variant variant, const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n,
                  ptrdiff_t k) {
#ifdef CNN_X86
    if (CNN_USE_AVX2(variant)) {
        dot_rows_avx2(a, b, c, m, n, k);
        return;
    }
#endif
    (void)variant;
    dot_rows_portable(a, b, c, m, n, k);
}

void cnn_direct_rows(cnn_variant variant, const float *a, const float *b, float *c, ptrdiff_t m, ptrdiff_t n,
                     ptrdiff_t k, ptrdiff_t a_row_step, ptrdiff_t a_column_step) {
#ifdef CNN_X86
    if (CNN_USE_AVX2(variant)) {
        direct_rows_avx2(a, b, c, m, n, k, a_row_step, a_column_step);
        return;
    }
#endif
    (void)variant;
    direct_rows_portable(a, b, c, m, n, k, a_row_step, a_column_step);
}

void cnn_shallow_strip(cnn_variant variant, int depth, int kind, const float *a, const float *b, float *c,
                       ptrdiff_t m, ptrdiff_t n, ptrdiff_t column, ptrdiff_t tail_column, ptrdiff_t a_row_step,
                       ptrdiff_t a_column_step) {
#ifdef CNN_X86
    if (CNN_USE_AVX2(variant)) {
        shallow_strip_avx2(depth, kind, a, b, c, m, n, column, tail_column, a_row_step, a_column_step);
        return;
    }
#endif
    (void)variant;
    shallow_strip_portable(depth, kind, a, b, c, m, n, column, tail_column, a_row_step, a_column_step);
}
