// The AVX-512 variant of the packed product (CNN_VARIANT_AVX512): an 8×32 register tile — 16 accumulators of 16
// floats, two B vectors and one broadcast — with its packing and the block loop that runs it. Compiled with
// __attribute__((target(...))) like the AVX2 variant, so no build flag is needed; kernels.c calls these only after
// `cnn_variant_supported(CNN_VARIANT_AVX512)` said yes.
//
// Why 8×32: BERT's and GPT-2's products have 64 or 128 rows (multiples of 8) and 384…3072 columns, which split
// into whole 32-column panels per thread; sixteen independent chains of fused multiply-adds cover the FMA latency
// on two pipes, and a 256-deep B panel (32 KiB) stays in the 48 KiB L1. Measured on Zen 5 (one thread, CPU time,
// products of 64…1024 rows): 8×32 and 8×48 both ran at 200–230 GFLOP/s, 8×32 a few per cent ahead on most
// shapes; 6×64 was 5–15 % slower; 12×32 and 14×32 written as loops over arrays spilled their accumulators.
#include "gemm_avx512.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define CNN_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))
#define CNN_INLINE512 static inline __attribute__((always_inline, target("avx512f,avx512vl,avx2,fma")))

#ifndef GEMM512_ROWS
#define GEMM512_ROWS 8
#endif
#ifndef GEMM512_VECTORS
#define GEMM512_VECTORS 2
#endif
enum { ROWS = GEMM512_ROWS, VECTORS = GEMM512_VECTORS, COLUMNS = 16 * GEMM512_VECTORS };

/// The first `count` (0…16) lanes.
CNN_INLINE512 __mmask16 lanes(ptrdiff_t count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? (__mmask16)0 : (__mmask16)((1u << count) - 1);
}

/// The ROWS×COLUMNS tile a·b, stored into (or, when `accumulate`, added to) the first `rows` rows and `columns`
/// columns of c. A is a packed panel (column p at a[p*ROWS]) or, when `in_place`, read in place (row i at
/// a + i*lda).
/// B is a packed panel (row p at b[p*COLUMNS]). Loads and stores outside rows × columns are masked off.
CNN_INLINE512 void tile(ptrdiff_t kc, const float *a, int in_place, ptrdiff_t lda, const float *b, float *c,
                        ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns, int accumulate) {
    __m512 acc[ROWS][VECTORS];
    for (int i = 0; i < ROWS; i++)
        for (int v = 0; v < VECTORS; v++) acc[i][v] = _mm512_setzero_ps();
    // C's tile is read (when accumulating) and written only after the depth loop; start fetching it now, so a C
    // larger than L2 (a 1024² product's 4 MiB) does not stall each tile on its misses.
    for (int i = 0; i < ROWS; i++) {
        if (i >= rows) break;
        for (int v = 0; v < VECTORS; v++) _mm_prefetch((const char *)(c + i * ldc + 16 * v), _MM_HINT_T0);
    }
    if (!in_place) {
        for (ptrdiff_t p = 0; p < kc; p++) {
            __m512 bv[VECTORS];
            for (int v = 0; v < VECTORS; v++) bv[v] = _mm512_loadu_ps(b + 16 * v);
            for (int i = 0; i < ROWS; i++) {
                const __m512 av = _mm512_set1_ps(a[i]);
                for (int v = 0; v < VECTORS; v++) acc[i][v] = _mm512_fmadd_ps(av, bv[v], acc[i][v]);
            }
            a += ROWS;
            b += COLUMNS;
        }
    } else {
        const float *row[ROWS];
        for (int i = 0; i < ROWS; i++) row[i] = a + i * lda;
        for (ptrdiff_t p = 0; p < kc; p++) {
            __m512 bv[VECTORS];
            for (int v = 0; v < VECTORS; v++) bv[v] = _mm512_loadu_ps(b + 16 * v);
            for (int i = 0; i < ROWS; i++) {
                const __m512 av = _mm512_set1_ps(row[i][p]);
                for (int v = 0; v < VECTORS; v++) acc[i][v] = _mm512_fmadd_ps(av, bv[v], acc[i][v]);
            }
            b += COLUMNS;
        }
    }
    __mmask16 mask[VECTORS];
    for (int v = 0; v < VECTORS; v++) mask[v] = lanes(columns - 16 * v);
    for (int i = 0; i < ROWS; i++) {
        if (i >= rows) break;
        float *target = c + i * ldc;
        for (int v = 0; v < VECTORS; v++) {
            __m512 value = acc[i][v];
            if (accumulate) value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(mask[v], target + 16 * v));
            _mm512_mask_storeu_ps(target + 16 * v, mask[v], value);
        }
    }
}

CNN_AVX512 void cnn_gemm512_shape(int *rows, int *columns) {
    *rows = ROWS;
    *columns = COLUMNS;
}

CNN_AVX512 void cnn_gemm512_tile(ptrdiff_t kc, const float *a, int in_place, ptrdiff_t lda, const float *b,
                                 float *c, ptrdiff_t ldc, int accumulate) {
    tile(kc, a, in_place, lda, b, c, ldc, ROWS, COLUMNS, accumulate);
}

CNN_AVX512 void cnn_gemm512_block(ptrdiff_t mb, ptrdiff_t nb, ptrdiff_t kb, const float *a_rows, ptrdiff_t lda,
                                  const float *packed_a, const float *packed_b, float *c, ptrdiff_t ldc,
                                  int accumulate) {
    // A panel (8 × kb, at most 8 KiB) stays in L1 while the whole packed B block streams past it from L2.
    const ptrdiff_t full_rows = mb / ROWS * ROWS;
    for (ptrdiff_t ir = 0; ir < mb; ir += ROWS) {
        const ptrdiff_t rows = mb - ir < ROWS ? mb - ir : ROWS;
        const int in_place = a_rows && ir < full_rows;
        const float *a = in_place ? a_rows + ir * lda : packed_a + (a_rows ? 0 : ir * kb);
        for (ptrdiff_t jr = 0; jr < nb; jr += COLUMNS) {
            const ptrdiff_t columns = nb - jr < COLUMNS ? nb - jr : COLUMNS;
            float *target = c + ir * ldc + jr;
            const float *panel = packed_b + jr * kb;
            if (rows == ROWS && columns == COLUMNS) {
                tile(kb, a, in_place, lda, panel, target, ldc, ROWS, COLUMNS, accumulate);
            } else {
                tile(kb, a, in_place, lda, panel, target, ldc, rows, columns, accumulate);
            }
        }
    }
}

/// 8×8 transpose: source rows s + r*ld (r < 8, eight floats each) become destination rows d + q*dstride.
CNN_INLINE512 void transpose8(const float *s, ptrdiff_t ld, float *d, ptrdiff_t dstride) {
    __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + ld);
    __m256 r2 = _mm256_loadu_ps(s + 2 * ld), r3 = _mm256_loadu_ps(s + 3 * ld);
    __m256 r4 = _mm256_loadu_ps(s + 4 * ld), r5 = _mm256_loadu_ps(s + 5 * ld);
    __m256 r6 = _mm256_loadu_ps(s + 6 * ld), r7 = _mm256_loadu_ps(s + 7 * ld);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(d + 0 * dstride, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(d + 1 * dstride, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(d + 2 * dstride, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(d + 3 * dstride, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(d + 4 * dstride, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(d + 5 * dstride, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(d + 6 * dstride, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(d + 7 * dstride, _mm256_permute2f128_ps(u3, u7, 0x31));
}

/// One panel of `width` (a multiple of 8): entries i < count, depths p < depth, panel[p*width + i] =
/// src[i*sa + p*sd], zero for count ≤ i < width. Contiguous entries (sa == 1) are copied with masked vector
/// moves; contiguous depths (sd == 1) by 8×8 transposes.
CNN_INLINE512 void pack_panel(int width, ptrdiff_t count, ptrdiff_t depth, const float *src, ptrdiff_t sa,
                              ptrdiff_t sd, float *panel) {
    if (sa == 1) {
        const int vectors = (width + 15) / 16;
        __mmask16 mask[4];
        for (int v = 0; v < vectors; v++) mask[v] = lanes(count - 16 * v);
        const __mmask16 tail = lanes(width - 16 * (vectors - 1));  // width 8: half a vector
        for (ptrdiff_t p = 0; p < depth; p++) {
            const float *s = src + p * sd;
            float *d = panel + p * width;
            for (int v = 0; v < vectors; v++) {
                const __mmask16 store = v == vectors - 1 ? tail : (__mmask16)0xFFFF;
                _mm512_mask_storeu_ps(d + 16 * v, store, _mm512_maskz_loadu_ps(mask[v], s + 16 * v));
            }
        }
        return;
    }
    if (sd == 1 && count == width && width % 8 == 0) {
        const ptrdiff_t vector_end = depth & ~(ptrdiff_t)7;
        for (ptrdiff_t p = 0; p < vector_end; p += 8) {
            for (int g = 0; g < width; g += 8) transpose8(src + g * sa + p, sa, panel + p * width + g, width);
        }
        for (int i = 0; i < width; i++) {
            const float *s = src + i * sa;
            for (ptrdiff_t p = vector_end; p < depth; p++) panel[p * width + i] = s[p];
        }
        return;
    }
    for (ptrdiff_t i = 0; i < count; i++) {
        const float *s = src + i * sa;
        for (ptrdiff_t p = 0; p < depth; p++) panel[p * width + i] = s[p * sd];
    }
    for (ptrdiff_t i = count; i < width; i++) {
        for (ptrdiff_t p = 0; p < depth; p++) panel[p * width + i] = 0;
    }
}

/// Copies `entries` ≤ width contiguous floats to a panel row of `width` (8, 16 or 32; constant after inlining),
/// zero-filling the rest.
CNN_INLINE512 void copy_panel_row(int width, ptrdiff_t entries, const float *s, float *d) {
    if (width == 8) {
        const __mmask8 mask = entries >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << entries) - 1);
        _mm256_storeu_ps(d, _mm256_maskz_loadu_ps(mask, s));
        return;
    }
    for (int v = 0; v < width / 16; v++) {
        _mm512_storeu_ps(d + 16 * v, _mm512_maskz_loadu_ps(lanes(entries - 16 * v), s + 16 * v));
    }
}

/// Panels of contiguous entries (B as stored, a transposed A), filled one source row at a time across all panels:
/// each source row is read once, front to back. (Filling panel by panel instead walks down kb rows per panel, one
/// 4 KiB page per row when rows are more than 4 KiB apart — a TLB miss on almost every 128-byte read.)
CNN_INLINE512 void pack_rows_across_panels(int width, ptrdiff_t count, ptrdiff_t depth, const float *src,
                                           ptrdiff_t sd, float *dst) {
    const ptrdiff_t full_panels = count / width, remainder = count - full_panels * width;
    for (ptrdiff_t p = 0; p < depth; p++) {
        const float *s = src + p * sd;
        float *d = dst + p * width;
        for (ptrdiff_t q = 0; q < full_panels; q++) copy_panel_row(width, width, s + q * width, d + q * width * depth);
        if (remainder) {
            copy_panel_row(width, remainder, s + full_panels * width, d + full_panels * width * depth);
        }
    }
}

CNN_AVX512 void cnn_gemm512_pack(int width, ptrdiff_t count, ptrdiff_t depth, const float *src, ptrdiff_t sa,
                                 ptrdiff_t sd, float *dst) {
    if (sa == 1 && width == COLUMNS && COLUMNS % 16 == 0) {
        pack_rows_across_panels(COLUMNS, count, depth, src, sd, dst);
        return;
    }
    if (sa == 1 && width == 8) {
        pack_rows_across_panels(8, count, depth, src, sd, dst);
        return;
    }
    for (ptrdiff_t q = 0; q < count; q += width) {
        const ptrdiff_t entries = count - q < width ? count - q : width;
        float *panel = dst + q * depth;
        const float *s = src + q * sa;
        // Constant widths, so the copies and transposes unroll.
        if (width == 8) pack_panel(8, entries, depth, s, sa, sd, panel);
        else if (width == COLUMNS) pack_panel(COLUMNS, entries, depth, s, sa, sd, panel);
        else pack_panel(width, entries, depth, s, sa, sd, panel);
    }
}
#endif
