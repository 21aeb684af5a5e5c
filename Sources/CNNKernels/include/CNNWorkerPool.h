// A small persistent pool of worker threads for splitting one product (or convolution) over the cores.
//
// `cnn_pool_run(parts, fn, context)` runs fn(context, part) for every part in 0 ..< parts: the calling thread
// takes parts itself while up to parts − 1 workers, at most one per extra core (started on first use, then kept
// for the life of the process), take the others; more parts than threads are claimed by whoever is free. A
// worker that finishes polls for a short while in case the next product follows at once, then sleeps on a
// condition variable, so an idle process burns no CPU. Only one split runs at a time: a call made while another
// is running (from another thread, or from inside a part) runs its parts serially on its own thread, so nested
// and concurrent calls never wait for each other and cannot deadlock.
#ifndef CNN_WORKER_POOL_H
#define CNN_WORKER_POOL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One part of a split: `context` as given to `cnn_pool_run`, `part` in 0 ..< parts.
typedef void (*cnn_pool_part_fn)(void *context, ptrdiff_t part);

/// Runs fn(context, part) for every part in 0 ..< parts and returns when all have finished. Returns the number
/// of threads that took part (1 when the parts ran serially on the calling thread: one part, the pool busy with
/// another split, or no worker thread could be started).
int cnn_pool_run(ptrdiff_t parts, cnn_pool_part_fn fn, void *context);

/// Worker threads started so far (0 until the first split of two or more parts).
int cnn_pool_worker_count(void);

/// How long (nanoseconds) a worker keeps polling for the next split after finishing one, and the caller for the
/// workers' last part, before sleeping. Default 50 µs, or NNVIEW_POOL_SPIN_US from the environment (read on the
/// first split). For measurements; not needed for correctness.
void cnn_pool_set_spin_nanoseconds(long nanoseconds);

#ifdef __cplusplus
}
#endif

#endif
