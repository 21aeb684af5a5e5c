/* Decodes every file in the folders given, through Sources/CImageCodecs/shim.h the way Sources/Images does
   (open, size check, allocate, read, close), so the C side can run under AddressSanitizer, UBSan and valgrind,
   which cannot run the Swift test binary. Built and run by scripts/check-image-codecs.sh. */
#include "../Sources/CImageCodecs/shim.h"
#include <dirent.h>

static const uint64_t pixelLimit = 100000000u;

static int decode(const char *path) {
    unsigned char magic[3] = {0};
    FILE *file = fopen(path, "rb");
    if (!file) return -1;
    size_t n = fread(magic, 1, 3, file);
    fclose(file);
    uint32_t width = 0, height = 0;
    int status = -1;
    if (n == 3 && magic[0] == 0x89) {
        nnview_png_reader *reader = nnview_png_create();
        int bitDepth, colorType, interlaced;
        if (nnview_png_open(reader, path, &width, &height, &bitDepth, &colorType, &interlaced) == 0
            && width && height && (uint64_t)width * height <= pixelLimit) {
            size_t size = (size_t)width * height * 3;
            uint8_t *rgb = malloc(size);
            status = nnview_png_read_rgb(reader, rgb, size);
            free(rgb);
        }
        nnview_png_close(reader);
    } else if (n == 3 && magic[0] == 0xFF) {
        nnview_jpeg_reader *reader = nnview_jpeg_create();
        int components;
        if (nnview_jpeg_open(reader, path, 1500000000L, &width, &height, &components) == 0
            && width && height && (uint64_t)width * height <= pixelLimit
            && (components == 1 || components == 3 || components == 4)) {
            size_t size = (size_t)width * height * 3;
            uint8_t *rgb = malloc(size);
            status = nnview_jpeg_read_rgb(reader, rgb, size);
            free(rgb);
        }
        nnview_jpeg_close(reader);
    }
    return status;
}

int main(int argc, char **argv) {
    int decoded = 0, failed = 0;
    for (int a = 1; a < argc; a++) {
        DIR *folder = opendir(argv[a]);
        if (!folder) continue;
        struct dirent *entry;
        char path[4096];
        while ((entry = readdir(folder))) {
            if (entry->d_name[0] == '.' || strstr(entry->d_name, ".safetensors")) continue;
            snprintf(path, sizeof path, "%s/%s", argv[a], entry->d_name);
            if (decode(path) == 0) decoded++; else failed++;
        }
        closedir(folder);
    }
    printf("decoded %d, refused %d\n", decoded, failed);
    return 0;
}
