// The persistent worker pool (see CNNWorkerPool.h).
//
// Why not `DispatchQueue.concurrentPerform`: a product of 50–300 µs is split into one part per core, and
// libdispatch wakes a worker thread for every such split — a futex wake-up and a scheduler round trip whose
// latency is a sizeable fraction of the part itself —, and lets its idle workers exit after a few seconds, taking
// their thread-local packing buffers with them (fresh pages, page faults, on the next product). Here the workers
// live as long as the process, poll for a short while after each split (the next product usually follows within
// microseconds), then sleep.
//
// One split at a time owns the pool (`busy`). Its description is one atomic word, `ticket`: the split's
// generation (high 32 bits), its number of parts (16 bits) and the next unclaimed part (16 bits). Threads claim
// parts by compare-and-swap on the whole word, so a late worker still holding an old generation can never claim a
// part of the next split, and the function and context it calls are those published before the ticket.
#define _GNU_SOURCE 1

#include "CNNWorkerPool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CNN_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CNN_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CNN_CPU_RELAX() ((void)0)
#endif

enum {
    /// Worker threads at most (the pool needs one per extra core).
    MAX_WORKERS = 63,
    /// Bits of each of the ticket's two part fields.
    PART_BITS = 16,
};
#define PART_MASK ((uint64_t)0xFFFF)

/// Default polling time after a split: longer than the gap between two products in a transformer layer,
/// short enough that an idle process stops using the CPU at once.
#define DEFAULT_SPIN_NANOSECONDS 50000L

static _Atomic uint64_t ticket;
/// Parts of the current split not yet finished.
static _Atomic long remaining;
/// 1 while a split owns the pool.
static _Atomic int busy;
static _Atomic int sleeping_workers;
static _Atomic int caller_sleeping;
static _Atomic int worker_count;
static _Atomic long spin_nanoseconds = -1;

// Written by the owner of the pool before it publishes the ticket, read by a thread only after it claimed a part
// of that ticket (the split cannot end, so these cannot change, before that part is done).
static cnn_pool_part_fn job_fn;
static void *job_context;
/// The last published generation (owner only).
static uint32_t generation;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t work_done = PTHREAD_COND_INITIALIZER;

static long now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

static long spin_budget(void) {
    long budget = atomic_load_explicit(&spin_nanoseconds, memory_order_relaxed);
    if (budget >= 0) return budget;
    budget = DEFAULT_SPIN_NANOSECONDS;
    const char *text = getenv("NNVIEW_POOL_SPIN_US");
    if (text && *text) {
        char *end = NULL;
        const long microseconds = strtol(text, &end, 10);
        if (end && *end == '\0' && microseconds >= 0 && microseconds <= 1000000) budget = microseconds * 1000;
    }
    atomic_store_explicit(&spin_nanoseconds, budget, memory_order_relaxed);
    return budget;
}

void cnn_pool_set_spin_nanoseconds(long nanoseconds) {
    atomic_store_explicit(&spin_nanoseconds, nanoseconds < 0 ? 0 : nanoseconds, memory_order_relaxed);
}

int cnn_pool_worker_count(void) { return atomic_load_explicit(&worker_count, memory_order_relaxed); }

/// Claims and runs parts of split `split` until none is left.
static void run_parts(uint32_t split) {
    uint64_t t = atomic_load_explicit(&ticket, memory_order_acquire);
    for (;;) {
        if ((uint32_t)(t >> 32) != split) return;
        const uint64_t next = t & PART_MASK, parts = (t >> PART_BITS) & PART_MASK;
        if (next >= parts) return;
        if (!atomic_compare_exchange_weak_explicit(&ticket, &t, t + 1, memory_order_acq_rel, memory_order_acquire)) {
            continue;  // t now holds the current ticket
        }
        job_fn(job_context, (ptrdiff_t)next);
        // The last part wakes the owner if it went to sleep (both sides sequentially consistent: either the
        // owner sees remaining == 0 or this thread sees caller_sleeping == 1).
        if (atomic_fetch_sub(&remaining, 1) == 1 && atomic_load(&caller_sleeping)) {
            pthread_mutex_lock(&lock);
            pthread_cond_signal(&work_done);
            pthread_mutex_unlock(&lock);
        }
        t = atomic_load_explicit(&ticket, memory_order_acquire);
    }
}

/// Waits for a generation other than `seen`: polls for the spin budget, then sleeps until the owner's broadcast.
static uint32_t wait_for_split(uint32_t seen) {
    const long budget = spin_budget();
    const long start = now_nanoseconds();
    for (unsigned i = 1;; i++) {
        const uint32_t split = (uint32_t)(atomic_load_explicit(&ticket, memory_order_acquire) >> 32);
        if (split != seen) return split;
        CNN_CPU_RELAX();
        if ((i & 63) == 0 && now_nanoseconds() - start >= budget) break;
    }
    atomic_fetch_add(&sleeping_workers, 1);
    pthread_mutex_lock(&lock);
    uint32_t split;
    while ((split = (uint32_t)(atomic_load(&ticket) >> 32)) == seen) pthread_cond_wait(&work_ready, &lock);
    pthread_mutex_unlock(&lock);
    atomic_fetch_sub(&sleeping_workers, 1);
    return split;
}

static void *worker_main(void *argument) {
    uint32_t seen = (uint32_t)(uintptr_t)argument;
    for (;;) {
        const uint32_t split = wait_for_split(seen);
        run_parts(split);
        seen = split;
    }
    return NULL;
}

/// One worker per core beyond the caller's (none on one core), at most MAX_WORKERS.
static int worker_limit(void) {
    static _Atomic int limit = -1;
    int value = atomic_load_explicit(&limit, memory_order_relaxed);
    if (value >= 0) return value;
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    value = cores <= 1 ? 0 : cores - 1 > MAX_WORKERS ? MAX_WORKERS : (int)(cores - 1);
    atomic_store_explicit(&limit, value, memory_order_relaxed);
    return value;
}

/// Starts workers until there are `wanted`, at most one per extra core (owner only); returns how many there are.
static int start_workers(int wanted) {
    if (wanted > worker_limit()) wanted = worker_limit();
    int count = atomic_load_explicit(&worker_count, memory_order_relaxed);
    while (count < wanted) {
        pthread_attr_t attributes;
        if (pthread_attr_init(&attributes) != 0) break;
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        pthread_t thread;
        // A new worker has seen every generation published so far and waits for the next.
        const int status = pthread_create(&thread, &attributes, worker_main, (void *)(uintptr_t)generation);
        pthread_attr_destroy(&attributes);
        if (status != 0) break;
#if defined(__linux__)
        pthread_setname_np(thread, "nnview-worker");
#endif
        count++;
        atomic_store_explicit(&worker_count, count, memory_order_relaxed);
    }
    return count;
}

/// The owner's wait for the workers' parts: poll for the spin budget, then sleep until the last part's signal.
static void wait_for_parts(void) {
    if (atomic_load(&remaining) == 0) return;
    const long budget = spin_budget();
    const long start = now_nanoseconds();
    for (unsigned i = 1; atomic_load_explicit(&remaining, memory_order_acquire) != 0; i++) {
        CNN_CPU_RELAX();
        if ((i & 63) == 0 && now_nanoseconds() - start >= budget) {
            atomic_store(&caller_sleeping, 1);
            pthread_mutex_lock(&lock);
            while (atomic_load(&remaining) != 0) pthread_cond_wait(&work_done, &lock);
            pthread_mutex_unlock(&lock);
            atomic_store(&caller_sleeping, 0);
            return;
        }
    }
}

static void run_serially(ptrdiff_t parts, cnn_pool_part_fn fn, void *context) {
    for (ptrdiff_t part = 0; part < parts; part++) fn(context, part);
}

int cnn_pool_run(ptrdiff_t parts, cnn_pool_part_fn fn, void *context) {
    if (parts <= 0) return 1;
    int idle = 0;
    if (parts == 1 || (uint64_t)parts > PART_MASK
        || !atomic_compare_exchange_strong_explicit(&busy, &idle, 1, memory_order_acquire, memory_order_relaxed)) {
        run_serially(parts, fn, context);
        return 1;
    }
    const int workers = start_workers(parts - 1 > MAX_WORKERS ? MAX_WORKERS : (int)(parts - 1));
    if (workers == 0) {
        atomic_store_explicit(&busy, 0, memory_order_release);
        run_serially(parts, fn, context);
        return 1;
    }
    job_fn = fn;
    job_context = context;
    atomic_store(&remaining, (long)parts);
    generation++;
    atomic_store(&ticket, (uint64_t)generation << 32 | (uint64_t)parts << PART_BITS);
    // Either a worker going to sleep sees the new ticket, or this sees it counted as sleeping and wakes it.
    if (atomic_load(&sleeping_workers) > 0) {
        pthread_mutex_lock(&lock);
        pthread_cond_broadcast(&work_ready);
        pthread_mutex_unlock(&lock);
    }
    run_parts(generation);
    wait_for_parts();
    atomic_store_explicit(&busy, 0, memory_order_release);
    return 1 + (workers < parts - 1 ? workers : (int)(parts - 1));
}
