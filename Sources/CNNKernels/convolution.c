// The AVX-512 convolution kernels (see CNNConvolution.h). A convolution is the product weight [out, depth] ·
// unfold(x) [depth, positions]; its right operand is packed straight from the zero-padded input into 32-column
// panels (a few contiguous runs per row of the panel, copied with masked loads), so no im2col matrix is ever
// written, and the weight is read in place (one 8-row tile of it stays in L1 while the packed block streams
// from L2). Every AVX-512 function here runs only after `cnn_conv_avx512_supported()` said yes; the AVX2 twins
// are in convolution_avx2.c, the portable padding, relu6 and max-pool loops below serve both.
// posix_memalign
#define _POSIX_C_SOURCE 200809L

#include "CNNConvolution.h"
#include "convolution_workspace.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CNN_CONV_X86 1
#define CNN_AVX512 __attribute__((target("avx512f")))
#endif

int cnn_conv_avx512_supported(void) {
#ifdef CNN_CONV_X86
    __builtin_cpu_init();
    // Also false when the OS does not save the 512-bit registers (the check includes XGETBV).
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}

void cnn_pad_planes(const float *x, float *out, ptrdiff_t count, ptrdiff_t height, ptrdiff_t width,
                    ptrdiff_t pad_top, ptrdiff_t pad_left, ptrdiff_t pad_bottom, ptrdiff_t pad_right) {
    const ptrdiff_t padded_w = pad_left + width + pad_right;
    const ptrdiff_t padded_h = pad_top + height + pad_bottom;
    for (ptrdiff_t c = 0; c < count; c++) {
        const float *src = x + c * height * width;
        float *dst = out + c * padded_h * padded_w;
        memset(dst, 0, (size_t)(pad_top * padded_w) * sizeof(float));
        dst += pad_top * padded_w;
        for (ptrdiff_t h = 0; h < height; h++) {
            memset(dst, 0, (size_t)pad_left * sizeof(float));
            memcpy(dst + pad_left, src + h * width, (size_t)width * sizeof(float));
            memset(dst + pad_left + width, 0, (size_t)pad_right * sizeof(float));
            dst += padded_w;
        }
        memset(dst, 0, (size_t)(pad_bottom * padded_w) * sizeof(float));
    }
}

void cnn_relu6(const float *x, float *out, ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; i++) {
        const float v = x[i];
        // Swift's max(v, 0) then min(·, 6), and NaN passes through: the values `relu6` always gave.
        const float low = 0.0f >= v ? 0.0f : v;
        const float clamped = 6.0f < low ? 6.0f : low;
        out[i] = v != v ? v : clamped;
    }
}

void cnn_max_pool_plane(const float *x, float *out, ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h,
                        ptrdiff_t output_w, ptrdiff_t kernel_h, ptrdiff_t kernel_w, ptrdiff_t stride_h,
                        ptrdiff_t stride_w, ptrdiff_t pad_top, ptrdiff_t pad_left, ptrdiff_t dilation_h,
                        ptrdiff_t dilation_w) {
    for (ptrdiff_t oh = 0; oh < output_h; oh++) {
        float *o = out + oh * output_w;
        for (ptrdiff_t ow = 0; ow < output_w; ow++) o[ow] = -__builtin_inff();
        for (ptrdiff_t kh = 0; kh < kernel_h; kh++) {
            const ptrdiff_t ih = oh * stride_h - pad_top + kh * dilation_h;
            if (ih < 0 || ih >= input_h) continue;
            const float *row = x + ih * input_w;
            for (ptrdiff_t kw = 0; kw < kernel_w; kw++) {
                const ptrdiff_t shift = kw * dilation_w - pad_left;
                // Output columns whose tap lands inside the row: ow·stride + shift in [0, input_w).
                const ptrdiff_t first = shift >= 0 ? 0 : (-shift + stride_w - 1) / stride_w;
                const ptrdiff_t limit = input_w - shift;
                ptrdiff_t last = limit <= 0 ? 0 : (limit + stride_w - 1) / stride_w;
                if (last > output_w) last = output_w;
                const float *src = row + shift;
                for (ptrdiff_t ow = first; ow < last; ow++) {
                    const float v = src[ow * stride_w], best = o[ow];
                    // PyTorch's rule: a larger value or a NaN takes over (and a NaN already there stays).
                    o[ow] = (v > best || v != v) && best == best ? v : best;
                }
            }
        }
    }
}

static pthread_key_t workspace_key;
static pthread_once_t workspace_key_once = PTHREAD_ONCE_INIT;

static void make_workspace_key(void) {
    // The destructor frees an exiting thread's buffer (Dispatch's idle workers exit, and new ones come).
    if (pthread_key_create(&workspace_key, free) != 0) abort();
}

/// This thread's packing buffer, grown to at least `count` floats and kept for the thread's next convolution:
/// at most 384 KiB + 8 KiB per thread, and allocating it per call would cost a page fault per 4 KiB every time.
/// Freed when the thread exits. Shared by the AVX-512 and AVX2 kernels (convolution_workspace.h).
float *cnn_conv_thread_workspace(ptrdiff_t count) {
    static _Thread_local float *buffer = NULL;
    static _Thread_local ptrdiff_t capacity = 0;
    if (count > capacity) {
        pthread_once(&workspace_key_once, make_workspace_key);
        free(buffer);
        void *memory = NULL;
        if (posix_memalign(&memory, 64, (size_t)count * sizeof(float)) != 0) abort();
        buffer = memory;
        capacity = count;
        if (pthread_setspecific(workspace_key, buffer) != 0) abort();
    }
    return buffer;
}

#ifdef CNN_CONV_X86

CNN_AVX512 void cnn_conv_forward_avx512(const cnn_conv_shape *s, const float *x, const float *weight,
                                        const float *bias, float *out, ptrdiff_t m_first, ptrdiff_t m_count,
                                        ptrdiff_t n_first, ptrdiff_t n_count);
CNN_AVX512 void cnn_depthwise3x3_avx512(const float *x, const float *taps, const float *bias, float *out,
                                        ptrdiff_t count, ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h,
                                        ptrdiff_t output_w, ptrdiff_t stride);

enum {
    /// Rows of the weight (output channels) in one register tile.
    TILE_ROWS = 8,
    /// Output positions in one register tile and one packed panel (two 16-float vectors).
    TILE_COLUMNS = 32,
    /// Most depth packed at a time: a 256-deep panel is 32 KiB, inside the 48 KiB L1.
    MAX_DEPTH_BLOCK = 256,
    /// Output positions packed at a time: 256 × 384 floats = 384 KiB, half of L2.
    COLUMN_BLOCK = 384,
};

/// The first `count` (0…16) lanes.
CNN_AVX512 static inline __mmask16 lanes(ptrdiff_t count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? (__mmask16)0 : (__mmask16)((1u << count) - 1);
}

/// The 8×32 tile c = bias (or c itself when `accumulate`) + a(8×kc, rows lda apart) · b(kc×32 packed panel);
/// only the first `columns` columns of c are read and written. Sixteen accumulators stay in registers.
CNN_AVX512 static void conv_tile(ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b, float *c,
                                 ptrdiff_t ldc, ptrdiff_t columns, int accumulate, const float *bias) {
    const __mmask16 low = lanes(columns), high = lanes(columns - 16);
    __m512 acc[TILE_ROWS][2];
    for (int i = 0; i < TILE_ROWS; i++) {
        if (accumulate) {
            acc[i][0] = _mm512_maskz_loadu_ps(low, c + i * ldc);
            acc[i][1] = _mm512_maskz_loadu_ps(high, c + i * ldc + 16);
        } else {
            acc[i][0] = _mm512_set1_ps(bias[i]);
            acc[i][1] = acc[i][0];
        }
    }
    const float *a0 = a, *a1 = a + lda, *a2 = a + 2 * lda, *a3 = a + 3 * lda;
    const float *a4 = a + 4 * lda, *a5 = a + 5 * lda, *a6 = a + 6 * lda, *a7 = a + 7 * lda;
    for (ptrdiff_t p = 0; p < kc; p++) {
        const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
        b += TILE_COLUMNS;
        __m512 v;
#define CNN_ROW(i, ai)                                        \
        v = _mm512_set1_ps(ai[p]);                            \
        acc[i][0] = _mm512_fmadd_ps(v, b0, acc[i][0]);        \
        acc[i][1] = _mm512_fmadd_ps(v, b1, acc[i][1]);
        CNN_ROW(0, a0) CNN_ROW(1, a1) CNN_ROW(2, a2) CNN_ROW(3, a3)
        CNN_ROW(4, a4) CNN_ROW(5, a5) CNN_ROW(6, a6) CNN_ROW(7, a7)
#undef CNN_ROW
    }
    for (int i = 0; i < TILE_ROWS; i++) {
        _mm512_mask_storeu_ps(c + i * ldc, low, acc[i][0]);
        _mm512_mask_storeu_ps(c + i * ldc + 16, high, acc[i][1]);
    }
}

/// Packs unfold(x) rows first ..< first + depth, columns n ..< n + block into 32-column panels at `packed`
/// (panel q at q·depth·32, row p of it at p·32; columns past the block are zero).
CNN_AVX512 static void pack_block(const cnn_conv_shape *s, const float *x, ptrdiff_t first, ptrdiff_t depth,
                                  ptrdiff_t n, ptrdiff_t block, float *packed) {
    const ptrdiff_t taps = s->kernel_h * s->kernel_w, plane = s->input_h * s->input_w;
    for (ptrdiff_t q = 0; q * TILE_COLUMNS < block; q++) {
        const ptrdiff_t start = n + q * TILE_COLUMNS;
        const ptrdiff_t count = block - q * TILE_COLUMNS < TILE_COLUMNS ? block - q * TILE_COLUMNS : TILE_COLUMNS;
        // The panel's columns as runs along one output row: `length` columns from `column`, reading from
        // `offset` in every tap's shifted plane.
        ptrdiff_t run_column[TILE_COLUMNS], run_length[TILE_COLUMNS], run_offset[TILE_COLUMNS];
        int runs = 0;
        for (ptrdiff_t t = 0; t < count;) {
            const ptrdiff_t oh = (start + t) / s->output_w, ow = (start + t) % s->output_w;
            ptrdiff_t length = s->output_w - ow;
            if (length > count - t) length = count - t;
            run_column[runs] = t;
            run_length[runs] = length;
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
                _mm512_store_ps(dst, _mm512_setzero_ps());
                _mm512_store_ps(dst + 16, _mm512_setzero_ps());
            }
            for (int r = 0; r < runs; r++) {
                const float *from = src + run_offset[r];
                float *to = dst + run_column[r];
                const ptrdiff_t length = run_length[r];
                if (s->stride_w == 1) {
                    const __mmask16 low = lanes(length), high = lanes(length - 16);
                    _mm512_mask_storeu_ps(to, low, _mm512_maskz_loadu_ps(low, from));
                    if (high) _mm512_mask_storeu_ps(to + 16, high, _mm512_maskz_loadu_ps(high, from + 16));
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

void cnn_conv_forward_avx512(const cnn_conv_shape *s, const float *x, const float *weight, const float *bias,
                             float *out, ptrdiff_t m_first, ptrdiff_t m_count, ptrdiff_t n_first, ptrdiff_t n_count) {
    const ptrdiff_t depth = s->channels * s->kernel_h * s->kernel_w;
    const ptrdiff_t positions = s->output_h * s->output_w;
    if (m_count <= 0 || n_count <= 0) return;
    // Equal depth blocks of at most MAX_DEPTH_BLOCK (576 = 3 × 192, not 256 + 256 + 64).
    const ptrdiff_t depth_blocks = (depth + MAX_DEPTH_BLOCK - 1) / MAX_DEPTH_BLOCK;
    const ptrdiff_t depth_block = (depth + depth_blocks - 1) / depth_blocks;
    const ptrdiff_t column_block = n_count < COLUMN_BLOCK ? n_count : COLUMN_BLOCK;
    const ptrdiff_t panels = (column_block + TILE_COLUMNS - 1) / TILE_COLUMNS;
    // The packed block, then room for ragged row tiles (fewer than 8 output channels left), which run on
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

void cnn_depthwise3x3_avx512(const float *x, const float *taps, const float *bias, float *out, ptrdiff_t count,
                             ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h, ptrdiff_t output_w,
                             ptrdiff_t stride) {
    // Even lanes of two vectors: elements 0, 2, …, 30 of 32 consecutive floats.
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    for (ptrdiff_t c = 0; c < count; c++) {
        const float *plane = x + c * input_h * input_w;
        float *dst = out + c * output_h * output_w;
        __m512 w[9];
        for (int t = 0; t < 9; t++) w[t] = _mm512_set1_ps(taps[c * 9 + t]);
        const __m512 start = _mm512_set1_ps(bias ? bias[c] : 0);
        for (ptrdiff_t oh = 0; oh < output_h; oh++) {
            const float *row = plane + oh * stride * input_w;
            float *o = dst + oh * output_w;
            for (ptrdiff_t ow = 0; ow < output_w; ow += 16) {
                const ptrdiff_t length = output_w - ow < 16 ? output_w - ow : 16;
                const __mmask16 mask = lanes(length);
                __m512 acc = start;
                if (stride == 1) {
                    for (int kh = 0; kh < 3; kh++) {
                        const float *r = row + kh * input_w + ow;
                        acc = _mm512_fmadd_ps(w[kh * 3], _mm512_maskz_loadu_ps(mask, r), acc);
                        acc = _mm512_fmadd_ps(w[kh * 3 + 1], _mm512_maskz_loadu_ps(mask, r + 1), acc);
                        acc = _mm512_fmadd_ps(w[kh * 3 + 2], _mm512_maskz_loadu_ps(mask, r + 2), acc);
                    }
                } else {
                    // Inputs 2t + kw for t < length: 2·length − 1 consecutive floats from each tap's start.
                    const __mmask16 low = lanes(2 * length - 1), high = lanes(2 * length - 17);
                    for (int kh = 0; kh < 3; kh++) {
                        for (int kw = 0; kw < 3; kw++) {
                            const float *r = row + kh * input_w + 2 * ow + kw;
                            const __m512 v = _mm512_permutex2var_ps(_mm512_maskz_loadu_ps(low, r), even,
                                                                    _mm512_maskz_loadu_ps(high, r + 16));
                            acc = _mm512_fmadd_ps(w[kh * 3 + kw], v, acc);
                        }
                    }
                }
                _mm512_mask_storeu_ps(o + ow, mask, acc);
            }
        }
    }
}

#else

void cnn_conv_forward_avx512(const cnn_conv_shape *s, const float *x, const float *weight, const float *bias,
                             float *out, ptrdiff_t m_first, ptrdiff_t m_count, ptrdiff_t n_first, ptrdiff_t n_count) {
    (void)s; (void)x; (void)weight; (void)bias; (void)out; (void)m_first; (void)m_count; (void)n_first; (void)n_count;
    abort();  // never called: cnn_conv_avx512_supported() is 0 here
}

void cnn_depthwise3x3_avx512(const float *x, const float *taps, const float *bias, float *out, ptrdiff_t count,
                             ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h, ptrdiff_t output_w,
                             ptrdiff_t stride) {
    (void)x; (void)taps; (void)bias; (void)out; (void)count; (void)input_h; (void)input_w; (void)output_h;
    (void)output_w; (void)stride;
    abort();
}

#endif
