// Convolution inner loops for CPUs with AVX-512 (convolution.c) and with AVX2 + FMA (convolution_avx2.c): a
// convolution as one matrix product whose right operand (the unfolded input, im2col) is never stored whole — each
// 32- (AVX-512) or 16-column (AVX2) panel is packed straight from the zero-padded input —, and direct depthwise
// 3×3. NNCore picks the widest one the CPU runs (`cnn_conv_avx512_supported()`, `cnn_conv_avx2_supported()`);
// other CPUs keep NNCore's im2col + matmul path, so one binary is fast on AVX2 and AVX-512 machines and correct
// everywhere.
#ifndef CNN_CONVOLUTION_H
#define CNN_CONVOLUTION_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Whether this CPU (and OS) runs the AVX-512 convolution kernels.
int cnn_conv_avx512_supported(void);

/// Whether this CPU (and OS) runs the AVX2 + FMA convolution kernels.
int cnn_conv_avx2_supported(void);

/// One convolution over an input that is already zero-padded (every window lies inside it).
typedef struct {
    /// Input channels of one group (the product's depth is channels·kernel_h·kernel_w).
    ptrdiff_t channels;
    /// Height and width of the padded input planes.
    ptrdiff_t input_h, input_w;
    /// Output height and width.
    ptrdiff_t output_h, output_w;
    ptrdiff_t kernel_h, kernel_w;
    ptrdiff_t stride_h, stride_w;
    ptrdiff_t dilation_h, dilation_w;
} cnn_conv_shape;

/// out[m, n] = bias[m] + Σₚ weight[m·depth + p]·unfold(x)[p, n] for m in m_first ..< m_first + m_count and
/// output positions n in n_first ..< n_first + n_count, with out rows output_h·output_w apart. `weight` is
/// PyTorch's [out, channels, kH, kW] layout of one group; `bias` may be NULL. Needs AVX-512.
void cnn_conv_forward_avx512(const cnn_conv_shape *shape, const float *x, const float *weight, const float *bias,
                             float *out, ptrdiff_t m_first, ptrdiff_t m_count, ptrdiff_t n_first, ptrdiff_t n_count);

/// Depthwise 3×3 convolution of `count` planes (x zero-padded: planes input_h × input_w; out planes
/// output_h × output_w), stride 1 or 2, dilation 1: out[c] = bias[c] + Σ taps[c·9 + 3·kh + kw]·x[c] over each
/// window. `bias` may be NULL. Needs AVX-512.
void cnn_depthwise3x3_avx512(const float *x, const float *taps, const float *bias, float *out, ptrdiff_t count,
                             ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h, ptrdiff_t output_w,
                             ptrdiff_t stride);

/// `cnn_conv_forward_avx512` with AVX2 + FMA (6×16 register tiles, 16-column panels): the same arguments and
/// result, rounded in another order. Needs AVX2 and FMA.
void cnn_conv_forward_avx2(const cnn_conv_shape *shape, const float *x, const float *weight, const float *bias,
                           float *out, ptrdiff_t m_first, ptrdiff_t m_count, ptrdiff_t n_first, ptrdiff_t n_count);

/// `cnn_depthwise3x3_avx512` with AVX2 + FMA (8 outputs per vector). Needs AVX2 and FMA.
void cnn_depthwise3x3_avx2(const float *x, const float *taps, const float *bias, float *out, ptrdiff_t count,
                           ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h, ptrdiff_t output_w,
                           ptrdiff_t stride);

/// Copies `count` planes height × width into planes (pad_top + height + pad_bottom) × (pad_left + width +
/// pad_right) with zeros around.
void cnn_pad_planes(const float *x, float *out, ptrdiff_t count, ptrdiff_t height, ptrdiff_t width,
                    ptrdiff_t pad_top, ptrdiff_t pad_left, ptrdiff_t pad_bottom, ptrdiff_t pad_right);

/// out[i] = min(max(x[i], 0), 6), NaN kept (portable; exact, so the same on every CPU).
void cnn_relu6(const float *x, float *out, ptrdiff_t count);

/// One plane's max pooling over windows (padding never wins; an all-padding window gives −∞), NaN taking over
/// as in PyTorch (portable; exact). For the forward without gradients, which needs no argmax.
void cnn_max_pool_plane(const float *x, float *out, ptrdiff_t input_h, ptrdiff_t input_w, ptrdiff_t output_h,
                        ptrdiff_t output_w, ptrdiff_t kernel_h, ptrdiff_t kernel_w, ptrdiff_t stride_h,
                        ptrdiff_t stride_w, ptrdiff_t pad_top, ptrdiff_t pad_left, ptrdiff_t dilation_h,
                        ptrdiff_t dilation_w);

#ifdef __cplusplus
}
#endif

#endif
