#ifndef NNVIEW_CNCURSESW_SHIM_H
#define NNVIEW_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

/* Wrappers for what Swift cannot import (macros, the stdscr/COLORS globals). Only CursesBackend uses them. */

static inline WINDOW *nnview_stdscr(void) { return stdscr; }
static inline int nnview_colors(void) { return COLORS; }
static inline int nnview_color_pairs(void) { return COLOR_PAIRS; }
static inline int nnview_lines(void) { int y, x; getmaxyx(stdscr, y, x); (void)x; return y; }
static inline int nnview_cols(void) { int y, x; getmaxyx(stdscr, y, x); (void)y; return x; }
static inline int nnview_set_timeout(int milliseconds) { wtimeout(stdscr, milliseconds); return OK; }
static inline int nnview_keypad(int on) { return keypad(stdscr, on ? TRUE : FALSE); }
static inline int nnview_has_rgb_flag(void) { return tigetflag("RGB") > 0; }
static inline void nnview_setlocale(void) { setlocale(LC_ALL, ""); }

/* The attribute bits for the four attributes nnview uses. */
static inline attr_t nnview_attrs(int bold, int dim, int reverse, int underline) {
    attr_t a = A_NORMAL;
    if (bold) a |= A_BOLD;
    if (dim) a |= A_DIM;
    if (reverse) a |= A_REVERSE;
    if (underline) a |= A_UNDERLINE;
    return a;
}

/* Writes one cell: up to 4 code points (one grapheme) in an extended colour pair (the int passed through `opts`
   lifts the 32767-pair limit of the short argument). */
static inline int nnview_put_cell(int y, int x, const wchar_t *text, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, 0, &pair) == ERR) return ERR;
    return mvadd_wch(y, x, &cell);
}

/* get_wch with the wint_t as unsigned int; returns OK, KEY_CODE_YES or ERR. */
static inline int nnview_get_wch(unsigned int *out) {
    wint_t w = 0;
    int r = get_wch(&w);
    *out = (unsigned int)w;
    return r;
}

/* Mouse: left button presses/clicks and the wheel (buttons 4 and 5). */
static inline mmask_t nnview_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}

/* Reads the pending mouse event: kind 1 = left press/click, 2 = wheel up, 3 = wheel down, 0 = other. */
static inline int nnview_get_mouse(int *x, int *y, int *kind) {
    MEVENT event;
    if (getmouse(&event) != OK) return ERR;
    *x = event.x;
    *y = event.y;
    if (event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) *kind = 1;
    else if (event.bstate & BUTTON4_PRESSED) *kind = 2;
    else if (event.bstate & BUTTON5_PRESSED) *kind = 3;
    else *kind = 0;
    return OK;
}

/* Standard error while curses owns the screen: anything written to fd 2 (a Swift runtime error before a crash,
   a library's warning) would be drawn over the frame and then lost with the alternate screen. It goes to an
   unlinked temporary file instead and is replayed on the normal screen when the terminal is given back, also
   from the fatal-signal handler (only dup2/lseek/read/write/close there: all async-signal-safe). */
static inline int *nnview_stderr_fds(void) {
    static int fds[2] = { -1, -1 };  /* saved fd 2, capture file */
    return fds;
}

static inline int nnview_begin_stderr_capture(void) {
    int *fds = nnview_stderr_fds();
    if (fds[0] >= 0) return 0;
    char path[] = "/tmp/nnview-stderr-XXXXXX";
    int file = mkstemp(path);
    if (file < 0) return -1;
    unlink(path);
    fflush(stderr);
    int saved = dup(2);
    if (saved < 0 || dup2(file, 2) < 0) {
        if (saved >= 0) close(saved);
        close(file);
        return -1;
    }
    fds[0] = saved;
    fds[1] = file;
    return 0;
}

static inline void nnview_end_stderr_capture(void) {
    int *fds = nnview_stderr_fds();
    int saved = fds[0], file = fds[1];
    if (saved < 0) return;
    fds[0] = fds[1] = -1;
    dup2(saved, 2);
    close(saved);
    char buffer[4096];
    ssize_t n;
    if (lseek(file, 0, SEEK_SET) == 0) {
        while ((n = read(file, buffer, sizeof buffer)) > 0) {
            ssize_t ignored = write(2, buffer, (size_t)n);
            (void)ignored;
        }
    }
    close(file);
}

/* Terminal restoration on fatal signals. Kept to calls that are safe enough in a handler: endwin() restores the
   tty modes (what ncurses' own SIGINT handler does too), then a reset sequence is written to /dev/tty with open()/
   write() (both async-signal-safe) in case endwin() could not run, and the signal is re-raised with the default
   action so the exit status is 128+signo. */
static inline void nnview_fatal_signal_handler(int signo) {
    static const char reset[] = "\033[0m\033[?25h\033[?1000l\033[?1002l\033[?1006l\033[?1049l";
    endwin();
    int fd = open("/dev/tty", O_WRONLY | O_NOCTTY);
    if (fd >= 0) {
        ssize_t ignored = write(fd, reset, sizeof reset - 1);
        (void)ignored;
        close(fd);
    }
    nnview_end_stderr_capture();
    signal(signo, SIG_DFL);
    raise(signo);
}

static inline void nnview_restore_at_exit(void) {
    if (!isendwin()) endwin();
    nnview_end_stderr_capture();
}

/* Installs the handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT and the crash signals, and the atexit hook. */
static inline void nnview_install_restore_handlers(void) {
    static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        action.sa_handler = nnview_fatal_signal_handler;
        sigaction(signals[i], &action, NULL);
    }
    atexit(nnview_restore_at_exit);
}

/* Puts the default handlers back (after a normal shutdown). */
static inline void nnview_remove_restore_handlers(void) {
    static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
}
#endif
