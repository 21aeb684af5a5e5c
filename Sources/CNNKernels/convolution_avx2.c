// The AVX2 + FMA convolution kernels (see CNNConvolution.h): the same algorithm as the AVX-512 ones in
// convolution.c, for CPUs without AVX-512. A convolution is the product weight [out, depth] · unfold(x) [depth,
// positions]; its right operand is packed straight from the zero-padded input into 16-column panels (a few
// contiguous runs per row of the panel, copied with masked loads), so no im2col matrix is ever written, and the
// weight is read in place (six of its rows stay in L1 while the packed block streams from L2). The register tile
// is 6 rows × 16 columns: twelve 8-float accumulators, two panel vectors and one broadcast of the sixteen ymm
// registers. Every function here runs only after `cnn_conv_avx2_supported()` said yes.
#include "CNNConvolution.h"
#include "convolution_workspace.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CNN_CONV_AVX2_X86 1
#define CNN_AVX2 __attribute__((target("avx2,fma")))
#endif

int cnn_conv_avx2_supported(void) {
#ifdef CNN_CONV_AVX2_X86
    __builtin_cpu_init();
    // Also false when the OS does not save the 256-bit registers (the check includes XGETBV).
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

#ifdef CNN_CONV_AVX2_X86

enum {
    /// Rows of the weight (output channels) in one register tile.
    TILE_ROWS = 6,
    /// Output positions in one register tile and one packed panel (two 8-float vectors).
    TILE_COLUMNS = 16,
    /// Most depth packed at a time: a 256-deep panel is 16 KiB, half of a 32 KiB L1.
    MAX_DEPTH_BLOCK = 256,
    /// Output positions packed at a time: 256 × 256 floats = 256 KiB, inside the L2 of AVX2 CPUs (256 KiB to
    /// 1 MiB) together with the six weight rows.
    COLUMN_BLOCK = 256,
};

/// A mask selecting the first `count` (0…8) lanes, for maskload/maskstore.
CNN_AVX2 static inline __m256i lanes(ptrdiff_t count) {
    const int clamped = count <= 0 ? 0 : count >= 8 ? 8 : (int)count;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(clamped), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/// The 6×16 tile c = bias (or c itself when `accumulate`) + a(6×kc, rows lda apart) · b(kc×16 packed panel);
/// only the first `columns` columns of c are read and written.
CNN_AVX2 static void conv_tile(ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b, float *c,
                               ptrdiff_t ldc, ptrdiff_t columns, int accumulate, const float *bias) {
    const __m256i low = lanes(columns), high = lanes(columns - 8);
    __m256 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (accumulate) {
#define CNN_LOAD(i, r0, r1)                                        \
        r0 = _mm256_maskload_ps(c + (i) * ldc, low);               \
        r1 = _mm256_maskload_ps(c + (i) * ldc + 8, high);
        CNN_LOAD(0, c00, c01) CNN_LOAD(1, c10, c11) CNN_LOAD(2, c20, c21)
        CNN_LOAD(3, c30, c31) CNN_LOAD(4, c40, c41) CNN_LOAD(5, c50, c51)
#undef CNN_LOAD
    } else {
        c00 = c01 = _mm256_set1_ps(bias[0]);
        c10 = c11 = _mm256_set1_ps(bias[1]);
        c20 = c21 = _mm256_set1_ps(bias[2]);
        c30 = c31 = _mm256_set1_ps(bias[3]);
        c40 = c41 = _mm256_set1_ps(bias[4]);
        c50 = c51 = _mm256_set1_ps(bias[5]);
    }
    const float *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda, *a4 = a + 4 * lda, *a5 = a + 5 * lda;
    for (ptrdiff_t p = 0; p < kc; p++) {
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        b += TILE_COLUMNS;
        __m256 v;
#define CNN_ROW(ai, r0, r1)                      \
        v = _mm256_broadcast_ss(ai + p);         \
        r0 = _mm256_fmadd_ps(v, b0, r0);         \
        r1 = _mm256_fmadd_ps(v, b1, r1);
        CNN_ROW(a0, c00, c01) CNN_ROW(a1, c10, c11) CNN_ROW(a2, c20, c21)
        CNN_ROW(a3, c30, c31) CNN_ROW(a4, c40, c41) CNN_ROW(a5, c50, c51)
#undef CNN_ROW
    }
#define CNN_STORE(i, r0, r1)                                   \
    _mm256_maskstore_ps(c + (i) * ldc, low, r0);               \
    _mm256_maskstore_ps(c + (i) * ldc + 8, high, r1);
    CNN_STORE(0, c00, c01) CNN_STORE(1, c10, c11) CNN_STORE(2, c20, c21)
    CNN_STORE(3, c30, c31) CNN_STORE(4, c40, c41) CNN_STORE(5, c50, c51)
#undef CNN_STORE
}

/// Packs unfold(x) rows first ..< first + depth, columns n ..< n + block into 16-column panels at `packed`
/// (panel q at q·depth·16, row p of it at p·16; columns past the block are zero).
CNN_AVX2 static void pack_block(const cnn_conv_shape *s, const float *x, ptrdiff_t first, ptrdiff_t depth,
                                ptrdiff_t n, ptrdiff_t block, float *packed) {
    const ptrdiff_t taps = s->kernel_h * s->kernel_w, plane = s->input_h * s->input_w;
    for (ptrdiff_t q = 0; q * TILE_COLUMNS < block; q++) {
        const ptrdiff_t start = n + q * TILE_COLUMNS;
        const ptrdiff_t count = block - q * TILE_COLUMNS < TILE_COLUMNS ? block - q * TILE_COLUMNS : TILE_COLUMNS;
        // The panel's columns as runs along one output row: `length` columns from `column`, reading from
        // `offset` in every tap's shifted plane.
        ptrdiff_t run_column[TILE_COLUMNS], run_offset[TILE_COLUMNS];
        __m256i run_low[TILE_COLUMNS], run_high[TILE_COLUMNS];
        ptrdiff_t run_length[TILE_COLUMNS];
        int runs = 0;
        for (ptrdiff_t t = 0; t < count;) {
            const ptrdiff_t oh = (start + t) / s->output_w, ow = (start + t) % s->output_w;
            ptrdiff_t length = s->output_w - ow;
            if (length > count - t) length = count - t;
            run_column[runs] = t;
            run_length[runs] = length;
            run_low[runs] = lanes(length);
            run_high[runs] = lanes(length - 8);
            run_offset[runs] = oh * s->stride_h * s->input_w + ow * s->stride_w;
            runs++;
            t += length;
        }
        float *panel = packed + q * depth * TILE_COLUMNS;
        ptrdiff_t channel = first / taps, tap = first % taps;
        ptrdiff_t kh = tap / s->kernel_w, kw = tap % s->kernel_w;
        for (ptrdiff_t p = 0; p < depth; p++) {
            const float *src = x + channel * plane + kh * s->dilation_h * s->input_w + kw * s->dilation_w;
            float *dst = panel + p * TILE_COLUMNS;
            if (count < TILE_COLUMNS) {
                _mm256_store_ps(dst, _mm256_setzero_ps());
                _mm256_store_ps(dst + 8, _mm256_setzero_ps());
            }
            for (int r = 0; r < runs; r++) {
                const float *from = src + run_offset[r];
                float *to = dst + run_column[r];
                const ptrdiff_t length = run_length[r];
                if (s->stride_w == 1) {
                    if (length == TILE_COLUMNS) {
                        _mm256_store_ps(to, _mm256_loadu_ps(from));
                        _mm256_store_ps(to + 8, _mm256_loadu_ps(from + 8));
                    } else {
                        // Masked-off lanes are neither read (no fault past the plane) nor written.
                        _mm256_maskstore_ps(to, run_low[r], _mm256_maskload_ps(from, run_low[r]));
                        if (length > 8) _mm256_maskstore_ps(to + 8, run_high[r], _mm256_maskload_ps(from + 8, run_high[r]));
                    }
                } else {
                    for (ptrdiff_t i = 0; i < length; i++) to[i] = from[i * s->stride_w];
                }
            }
            if (++kw == s->kernel_w) {
                kw = 0;
                if (++kh == s->kernel_h) {
                    kh = 0;
                    channel++;
                }
            }
        }
    }
}

CNN_AVX2 void cnn_conv_forward_avx2(const cnn_conv_shape *s, const float *x, const float *weight, const float *bias,
                                    float *out, ptrdiff_t m_first, ptrdiff_t m_count, ptrdiff_t n_first,
                                    ptrdiff_t n_count) {
    const ptrdiff_t depth = s->channels * s->kernel_h * s->kernel_w;
    const ptrdiff_t positions = s->output_h * s->output_w;
    if (m_count <= 0 || n_count <= 0) return;
    // Equal depth blocks of at most MAX_DEPTH_BLOCK (576 = 3 × 192, not 256 + 256 + 64).
    const ptrdiff_t depth_blocks = (depth + MAX_DEPTH_BLOCK - 1) / MAX_DEPTH_BLOCK;
    const ptrdiff_t depth_block = (depth + depth_blocks - 1) / depth_blocks;
    const ptrdiff_t column_block = n_count < COLUMN_BLOCK ? n_count : COLUMN_BLOCK;
    const ptrdiff_t panels = (column_block + TILE_COLUMNS - 1) / TILE_COLUMNS;
    // The packed block, then room for ragged row tiles (fewer than 6 output channels left), which run on
    // zero-padded copies of their weight rows.
    float *packed = cnn_conv_thread_workspace((panels * TILE_COLUMNS + TILE_ROWS) * depth_block);
    float *edge_a = packed + panels * TILE_COLUMNS * depth_block;
    float edge_c[TILE_ROWS * TILE_COLUMNS];
    const ptrdiff_t m_end = m_first + m_count, n_end = n_first + n_count;
    for (ptrdiff_t jc = n_first; jc < n_end; jc += column_block) {
        const ptrdiff_t nb = n_end - jc < column_block ? n_end - jc : column_block;
        for (ptrdiff_t pc = 0; pc < depth; pc += depth_block) {
            const ptrdiff_t kb = depth - pc < depth_block ? depth - pc : depth_block;
            pack_block(s, x, pc, kb, jc, nb, packed);
            for (ptrdiff_t ir = m_first; ir < m_end; ir += TILE_ROWS) {
                const ptrdiff_t rows = m_end - ir < TILE_ROWS ? m_end - ir : TILE_ROWS;
                float tile_bias[TILE_ROWS] = {0};
                if (bias) for (ptrdiff_t i = 0; i < rows; i++) tile_bias[i] = bias[ir + i];
                const float *a = weight + ir * depth + pc;
                ptrdiff_t lda = depth;
                if (rows < TILE_ROWS) {
                    memset(edge_a, 0, (size_t)(TILE_ROWS * kb) * sizeof(float));
                    for (ptrdiff_t i = 0; i < rows; i++) memcpy(edge_a + i * kb, a + i * depth, (size_t)kb * sizeof(float));
                    a = edge_a;
                    lda = kb;
                }
                for (ptrdiff_t q = 0; q * TILE_COLUMNS < nb; q++) {
                    const ptrdiff_t columns = nb - q * TILE_COLUMNS < TILE_COLUMNS ? nb - q * TILE_COLUMNS : TILE_COLUMNS;
                    const float *panel = packed + q * kb * TILE_COLUMNS;
                    float *c = out + ir * positions + jc + q * TILE_COLUMNS;
                    if (rows == TILE_ROWS) {
                        conv_tile(kb, a, lda, panel, c, positions, columns, pc > 0, tile_bias);
                        continue;
                    }
                    if (pc > 0) {
                        for (ptrdiff_t i = 0; i < rows; i++) memcpy(edge_c + i * TILE_COLUMNS, c + i * positions, (size_t)columns * sizeof(float));
                    }
                    conv_tile(kb, a, lda, panel, edge_c, TILE_COLUMNS, columns, pc > 0, tile_bias);
                    for (ptrdiff_t i = 0; i < rows; i++) memcpy(c + i * positions, edge_c + i * TILE_COLUMNS, (size_t)columns * sizeof(float));
                }
            }
        }
    }
}

/// The even elements 0, 2, …, 14 of the 16 floats lo ‖ hi.
CNN_AVX2 static inline __m256 even_lanes(__m256 lo, __m256 hi) {
    // [lo0 lo2 hi0 hi2 | lo4 lo6 hi4 hi6], then the 64-bit pairs reordered to lo0 lo2 lo4 lo6 hi0 hi2 hi4 hi6.
    const __m256 mixed = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(mixed), _MM_SHUFFLE(3, 1, 2, 0)));
}

CNN_AVX2 void cnn_depthwise3x3_avx2(const float *x, const float *taps, const float *bias, float *out,
                                    ptrdiff_t count, ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h,
                                    ptrdiff_t output_w, ptrdiff_t stride) {
    (void)input_h;
    for (ptrdiff_t c = 0; c < count; c++) {
        const float *plane = x + c * input_h * input_w;
        float *dst = out + c * output_h * output_w;
        __m256 w[9];
        for (int t = 0; t < 9; t++) w[t] = _mm256_set1_ps(taps[c * 9 + t]);
        const __m256 start = _mm256_set1_ps(bias ? bias[c] : 0);
        for (ptrdiff_t oh = 0; oh < output_h; oh++) {
            const float *row = plane + oh * stride * input_w;
            float *o = dst + oh * output_w;
            for (ptrdiff_t ow = 0; ow < output_w; ow += 8) {
                const ptrdiff_t length = output_w - ow < 8 ? output_w - ow : 8;
                __m256 acc = start;
                if (stride == 1) {
                    const __m256i mask = lanes(length);
                    for (int kh = 0; kh < 3; kh++) {
                        const float *r = row + kh * input_w + ow;
                        if (length == 8) {
                            acc = _mm256_fmadd_ps(w[kh * 3], _mm256_loadu_ps(r), acc);
                            acc = _mm256_fmadd_ps(w[kh * 3 + 1], _mm256_loadu_ps(r + 1), acc);
                            acc = _mm256_fmadd_ps(w[kh * 3 + 2], _mm256_loadu_ps(r + 2), acc);
                        } else {
                            acc = _mm256_fmadd_ps(w[kh * 3], _mm256_maskload_ps(r, mask), acc);
                            acc = _mm256_fmadd_ps(w[kh * 3 + 1], _mm256_maskload_ps(r + 1, mask), acc);
                            acc = _mm256_fmadd_ps(w[kh * 3 + 2], _mm256_maskload_ps(r + 2, mask), acc);
                        }
                    }
                } else {
                    // Inputs 2t + kw for t < length: 2·length − 1 consecutive floats from each tap's start.
                    const __m256i low = lanes(2 * length - 1), high = lanes(2 * length - 9);
                    for (int kh = 0; kh < 3; kh++) {
                        for (int kw = 0; kw < 3; kw++) {
                            const float *r = row + kh * input_w + 2 * ow + kw;
                            const __m256 v = even_lanes(_mm256_maskload_ps(r, low), _mm256_maskload_ps(r + 8, high));
                            acc = _mm256_fmadd_ps(w[kh * 3 + kw], v, acc);
                        }
                    }
                }
                if (length == 8) {
                    _mm256_storeu_ps(o + ow, acc);
                } else {
                    _mm256_maskstore_ps(o + ow, lanes(length), acc);
                }
            }
        }
    }
}

#else

void cnn_conv_forward_avx2(const cnn_conv_shape *s, const float *x, const float *weight, const float *bias,
                           float *out, ptrdiff_t m_first, ptrdiff_t m_count, ptrdiff_t n_first, ptrdiff_t n_count) {
    (void)s; (void)x; (void)weight; (void)bias; (void)out; (void)m_first; (void)m_count; (void)n_first; (void)n_count;
    abort();  // never called: cnn_conv_avx2_supported() is 0 here
}

void cnn_depthwise3x3_avx2(const float *x, const float *taps, const float *bias, float *out, ptrdiff_t count,
                           ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h, ptrdiff_t output_w,
                           ptrdiff_t stride) {
    (void)x; (void)taps; (void)bias; (void)out; (void)count; (void)input_h; (void)input_w; (void)output_h;
    (void)output_w; (void)stride;
    abort();
}

#endif
