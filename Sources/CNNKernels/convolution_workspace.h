// Private to the convolution kernels (convolution.c, convolution_avx2.c): not part of the module's interface.
#ifndef CNN_CONVOLUTION_WORKSPACE_H
#define CNN_CONVOLUTION_WORKSPACE_H

#include <stddef.h>

/// This thread's packing buffer of at least `count` floats, 64-byte aligned, kept for its next convolution.
float *cnn_conv_thread_workspace(ptrdiff_t count);

#endif
