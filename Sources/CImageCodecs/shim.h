#ifndef NNVIEW_CIMAGECODECS_SHIM_H
#define NNVIEW_CIMAGECODECS_SHIM_H
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <jpeglib.h>
#include <jerror.h>

/* PNG and JPEG decoding through libpng and libjpeg. Both libraries report errors by calling a handler that must
   not return; Swift cannot setjmp/longjmp, so every function here that calls into a library sets its own jump
   point, and an error comes back as -1 with a one-line message in the reader. The readers own every libpng/
   libjpeg allocation, so `..._close` frees everything however far decoding got. Only Sources/Images uses this.

   Both decoders write RGB8 (3 bytes per pixel, rows top to bottom) the way Pillow's convert("RGB") gives it:
   grey replicated, alpha ignored (no compositing), palette looked up, 16-bit samples cut to their high byte, a
   16-bit grey sample clipped to 255 (Pillow's "I;16" → "RGB"), CMYK inverted (Pillow assumes Adobe's polarity)
   and converted with Pillow's cmyk2rgb. */

enum { NNVIEW_IMAGE_MESSAGE_SIZE = 256 };

/* ---------- PNG ---------- */

typedef struct nnview_png_reader {
    FILE *file;
    png_structp png;
    png_infop info;
    int truncated;               /* the file ended before libpng had what it needed */
    char message[NNVIEW_IMAGE_MESSAGE_SIZE];
} nnview_png_reader;

static void nnview_png_on_error(png_structp png, png_const_charp text) {
    nnview_png_reader *reader = (nnview_png_reader *)png_get_error_ptr(png);
    snprintf(reader->message, sizeof reader->message, "%s", text);
    png_longjmp(png, 1);
}

/* Warnings (a wrong sRGB profile, a bad ancillary chunk CRC, …) are not worth a line on the terminal. */
static void nnview_png_on_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

static void nnview_png_read_bytes(png_structp png, png_bytep data, size_t length) {
    nnview_png_reader *reader = (nnview_png_reader *)png_get_io_ptr(png);
    size_t got = fread(data, 1, length, reader->file);
    if (got != length) {
        if (ferror(reader->file)) png_error(png, strerror(errno));
        reader->truncated = 1;
        png_error(png, "the file ends early");
    }
}

static inline const char *nnview_png_message(nnview_png_reader *reader) { return reader->message; }
static inline int nnview_png_truncated(nnview_png_reader *reader) { return reader->truncated; }
static inline int nnview_png_file_opened(nnview_png_reader *reader) { return reader->file != NULL; }

static inline nnview_png_reader *nnview_png_create(void) {
    return (nnview_png_reader *)calloc(1, sizeof(nnview_png_reader));
}

static inline void nnview_png_close(nnview_png_reader *reader) {
    if (!reader) return;
    if (reader->png) png_destroy_read_struct(&reader->png, reader->info ? &reader->info : NULL, NULL);
    if (reader->file) fclose(reader->file);
    free(reader);
}

/* Opens the file and reads the chunks before the image data. Returns 0, or -1 with `message` set
   (`truncated` says whether the file simply ended). Allocates nothing that depends on the image size. */
static inline int nnview_png_open(nnview_png_reader *reader, const char *path, uint32_t *width, uint32_t *height,
                                  int *bitDepth, int *colorType, int *interlaced) {
    reader->file = fopen(path, "rb");
    if (!reader->file) {
        snprintf(reader->message, sizeof reader->message, "%s", strerror(errno));
        return -1;
    }
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, nnview_png_on_error, nnview_png_on_warning);
    if (!reader->png) { snprintf(reader->message, sizeof reader->message, "libpng could not start"); return -1; }
    reader->info = png_create_info_struct(reader->png);
    if (!reader->info) { snprintf(reader->message, sizeof reader->message, "libpng could not start"); return -1; }
    if (setjmp(png_jmpbuf(reader->png))) return -1;
    png_set_read_fn(reader->png, reader, nnview_png_read_bytes);
    /* libpng's default limit of 1,000,000 pixels a side would refuse a legal 2,000,000 × 1 image; the caller's
       pixel limit is the rule, so libpng gets the PNG format's own maximum. */
    png_set_user_limits(reader->png, 0x7fffffff, 0x7fffffff);
    /* Pillow refuses a bad CRC in any chunk before the image data ("broken PNG file"); libpng by default only
       drops an ancillary chunk whose CRC is wrong. */
    png_set_crc_action(reader->png, PNG_CRC_DEFAULT, PNG_CRC_ERROR_QUIT);
    png_read_info(reader->png, reader->info);
    *width = png_get_image_width(reader->png, reader->info);
    *height = png_get_image_height(reader->png, reader->info);
    *bitDepth = png_get_bit_depth(reader->png, reader->info);
    *colorType = png_get_color_type(reader->png, reader->info);
    *interlaced = png_get_interlace_type(reader->png, reader->info) != PNG_INTERLACE_NONE;
    return 0;
}

/* Decodes every pass into `out` (width × height × 3 bytes, checked against `outSize`). */
static inline int nnview_png_read_rgb(nnview_png_reader *reader, uint8_t *out, size_t outSize) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    if (setjmp(png_jmpbuf(png))) return -1;
    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    int colorType = png_get_color_type(png, info), bitDepth = png_get_bit_depth(png, info);
    size_t stride = (size_t)width * 3;
    if (outSize != stride * height) png_error(png, "output buffer has the wrong size");
    /* Pillow opens a 16-bit grey PNG as "I;16" and its convert("RGB") clips each sample to 255; libpng has no
       such transform, so those rows are read as 16-bit grey and converted below. */
    int clipGrey16 = colorType == PNG_COLOR_TYPE_GRAY && bitDepth == 16;
    if (colorType == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colorType == PNG_COLOR_TYPE_GRAY && bitDepth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (bitDepth == 16 && !clipGrey16) png_set_strip_16(png);   /* keeps the high byte, as Pillow's ";16B" modes */
    if (colorType & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_strip_alpha(png);
    if (!clipGrey16 && (colorType == PNG_COLOR_TYPE_GRAY || colorType == PNG_COLOR_TYPE_GRAY_ALPHA))
        png_set_gray_to_rgb(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowBytes = png_get_rowbytes(png, info);
    if (rowBytes != (clipGrey16 ? (size_t)width * 2 : stride)) png_error(png, "unexpected row layout after conversion");
    /* Each row is decoded in place at its final position; a 16-bit grey row (2 bytes a pixel) fits in the 3 bytes
       a pixel of RGB and is widened from its end, so no second buffer is needed. */
    for (int pass = 0; pass < passes; pass++)
        for (png_uint_32 y = 0; y < height; y++) png_read_row(png, out + (size_t)y * stride, NULL);
    if (clipGrey16) {
        for (png_uint_32 y = 0; y < height; y++) {
            uint8_t *row = out + (size_t)y * stride;
            for (size_t x = width; x-- > 0;) {
                uint8_t grey = row[2 * x] ? 255 : row[2 * x + 1];
                row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = grey;
            }
        }
    }
    return 0;
}

/* ---------- JPEG ---------- */

typedef struct nnview_jpeg_errors {
    struct jpeg_error_mgr base;  /* first, so libjpeg's pointer to it is a pointer to this */
    jmp_buf jump;
    int truncated;
    char message[JMSG_LENGTH_MAX];
} nnview_jpeg_errors;

typedef struct nnview_jpeg_reader {
    struct jpeg_decompress_struct decompress;
    nnview_jpeg_errors errors;
    int created;
    FILE *file;
} nnview_jpeg_reader;

static void nnview_jpeg_on_error(j_common_ptr info) {
    nnview_jpeg_errors *errors = (nnview_jpeg_errors *)info->err;
    (*info->err->format_message)(info, errors->message);
    longjmp(errors->jump, 1);
}

/* libjpeg only warns when the data stops early and then fills the rest of the image with grey; Pillow refuses
   such a file ("image file is truncated"), so the warning becomes an error. Other warnings are ignored, as in
   Pillow. */
static void nnview_jpeg_on_message(j_common_ptr info, int level) {
    nnview_jpeg_errors *errors = (nnview_jpeg_errors *)info->err;
    if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF) {
        errors->truncated = 1;
        (*info->err->format_message)(info, errors->message);
        longjmp(errors->jump, 1);
    }
}

static void nnview_jpeg_silent(j_common_ptr info) { (void)info; }

static inline nnview_jpeg_reader *nnview_jpeg_create(void) {
    return (nnview_jpeg_reader *)calloc(1, sizeof(nnview_jpeg_reader));
}

static inline void nnview_jpeg_close(nnview_jpeg_reader *reader) {
    if (!reader) return;
    if (reader->created) jpeg_destroy_decompress(&reader->decompress);
    if (reader->file) fclose(reader->file);
    free(reader);
}

static inline const char *nnview_jpeg_message(nnview_jpeg_reader *reader) { return reader->errors.message; }
static inline int nnview_jpeg_file_opened(nnview_jpeg_reader *reader) { return reader->file != NULL; }
/* Whether libjpeg stopped because the frame header declares a zero width or height (then `image_width` and
   `image_height` hold what it declares). */
static inline int nnview_jpeg_declared_empty(nnview_jpeg_reader *reader) {
    return reader->errors.base.msg_code == JERR_EMPTY_IMAGE;
}
static inline int nnview_jpeg_truncated(nnview_jpeg_reader *reader) { return reader->errors.truncated; }

/* Opens the file and reads the header (no pixel memory yet). `components` is 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK/
   YCCK). `memoryLimit` caps what libjpeg may allocate (progressive files keep every coefficient). */
static inline int nnview_jpeg_open(nnview_jpeg_reader *reader, const char *path, long memoryLimit,
                                   uint32_t *width, uint32_t *height, int *components) {
    reader->file = fopen(path, "rb");
    if (!reader->file) {
        snprintf(reader->errors.message, sizeof reader->errors.message, "%s", strerror(errno));
        return -1;
    }
    reader->decompress.err = jpeg_std_error(&reader->errors.base);
    reader->errors.base.error_exit = nnview_jpeg_on_error;
    reader->errors.base.emit_message = nnview_jpeg_on_message;
    reader->errors.base.output_message = nnview_jpeg_silent;
    if (setjmp(reader->errors.jump)) return -1;
    jpeg_create_decompress(&reader->decompress);
    reader->created = 1;
    reader->decompress.mem->max_memory_to_use = memoryLimit;
    jpeg_stdio_src(&reader->decompress, reader->file);
    jpeg_read_header(&reader->decompress, TRUE);
    *width = reader->decompress.image_width;
    *height = reader->decompress.image_height;
    *components = reader->decompress.num_components;
    return 0;
}

/* Pillow's MULDIV255 and cmyk2rgb, on CMYK it has inverted first (its "CMYK;I" raw mode). */
static inline uint8_t nnview_cmyk_channel(int inverted, int nk) {
    int value = (255 - inverted) * nk + 128;
    int product = ((value >> 8) + value) >> 8;
    int result = nk - product;
    return (uint8_t)(result < 0 ? 0 : result > 255 ? 255 : result);
}

/* Decodes into `out` (width × height × 3 bytes, checked against `outSize`) with libjpeg's defaults (accurate
   integer IDCT, fancy upsampling), as Pillow does. */
static inline int nnview_jpeg_read_rgb(nnview_jpeg_reader *reader, uint8_t *out, size_t outSize) {
    struct jpeg_decompress_struct *d = &reader->decompress;
    if (setjmp(reader->errors.jump)) return -1;
    int components = d->num_components;
    d->out_color_space = components == 1 ? JCS_GRAYSCALE : components == 4 ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(d);
    size_t width = d->output_width, height = d->output_height, stride = width * 3;
    if (d->output_components != components || outSize != stride * height) {
        snprintf(reader->errors.message, sizeof reader->errors.message, "unexpected output layout from libjpeg");
        return -1;
    }
    /* The scanline buffer belongs to libjpeg's pool, freed by jpeg_destroy_decompress on every path. */
    JSAMPARRAY line = (*d->mem->alloc_sarray)((j_common_ptr)d, JPOOL_IMAGE, (JDIMENSION)(width * components), 1);
    while (d->output_scanline < d->output_height) {
        size_t y = d->output_scanline;
        uint8_t *row = out + y * stride;
        if (components == 3) {
            JSAMPROW target = row;
            jpeg_read_scanlines(d, &target, 1);
            continue;
        }
        jpeg_read_scanlines(d, line, 1);
        const uint8_t *in = line[0];
        if (components == 1) {
            for (size_t x = 0; x < width; x++) row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = in[x];
        } else {
            for (size_t x = 0; x < width; x++, in += 4) {
                int nk = in[3];  /* 255 - (255 - k): the black channel after Pillow's inversion, complemented */
                row[3 * x] = nnview_cmyk_channel(in[0], nk);
                row[3 * x + 1] = nnview_cmyk_channel(in[1], nk);
                row[3 * x + 2] = nnview_cmyk_channel(in[2], nk);
            }
        }
    }
    jpeg_finish_decompress(d);
    return 0;
}
#endif
