#define _GNU_SOURCE
#include "CFuturesShim.h"

#include <errno.h>
#include <malloc.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

// States of the token word. PARKED is reached from EMPTY by a fetch_sub, so a
// token that arrives between the spin and the sleep is never lost.
enum { EMPTY = 0u, NOTIFIED = 1u, PARKED = 0xFFFFFFFFu };

struct fl_parker {
    _Atomic uint32_t state;
};

fl_parker_t *fl_parker_create(void) {
    fl_parker_t *parker = malloc(sizeof(fl_parker_t));
    if (parker == NULL) abort();
    atomic_init(&parker->state, EMPTY);
    return parker;
}

void fl_parker_destroy(fl_parker_t *parker) { free(parker); }

uint64_t fl_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool try_consume(fl_parker_t *parker) {
    uint32_t expected = NOTIFIED;
    return atomic_compare_exchange_strong_explicit(
        &parker->state, &expected, EMPTY, memory_order_acquire, memory_order_relaxed);
}

bool fl_parker_park(fl_parker_t *parker, uint64_t deadline_ns, uint64_t spin_ns) {
    if (spin_ns > 0) {
        uint64_t spin_end = fl_monotonic_ns() + spin_ns;
        for (unsigned i = 1;; i++) {
            if (atomic_load_explicit(&parker->state, memory_order_relaxed) == NOTIFIED
                && try_consume(parker)) {
                return true;
            }
            fl_cpu_relax();
            if ((i & 15u) == 0 && fl_monotonic_ns() >= spin_end) break;
        }
    }
    // EMPTY -> PARKED, or NOTIFIED -> EMPTY (the token was there: take it).
    if (atomic_fetch_sub_explicit(&parker->state, 1, memory_order_acquire) == NOTIFIED) {
        return true;
    }
    for (;;) {
        struct timespec abs;
        struct timespec *timeout = NULL;
        if (deadline_ns != 0) {
            abs.tv_sec = (time_t)(deadline_ns / 1000000000u);
            abs.tv_nsec = (long)(deadline_ns % 1000000000u);
            timeout = &abs;
        }
        // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline.
        syscall(SYS_futex, &parker->state, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG,
                PARKED, timeout, NULL, FUTEX_BITSET_MATCH_ANY);
        if (try_consume(parker)) return true;
        if (deadline_ns != 0 && fl_monotonic_ns() >= deadline_ns) {
            // Give up the PARKED mark; a token that raced in is still ours.
            return atomic_exchange_explicit(&parker->state, EMPTY, memory_order_acquire) == NOTIFIED;
        }
        // Spurious wake-up: the state is still PARKED; sleep again.
    }
}

void fl_parker_unpark(fl_parker_t *parker) {
    if (atomic_exchange_explicit(&parker->state, NOTIFIED, memory_order_release) == PARKED) {
        syscall(SYS_futex, &parker->state, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
    }
}

void fl_set_current_thread_name(const char *name) {
    char buffer[16];
    snprintf(buffer, sizeof buffer, "%s", name);
    pthread_setname_np(pthread_self(), buffer);
}

uint64_t fl_resident_bytes(void) {
    FILE *file = fopen("/proc/self/statm", "r");
    if (file == NULL) return 0;
    unsigned long size = 0, resident = 0;
    int read = fscanf(file, "%lu %lu", &size, &resident);
    fclose(file);
    if (read != 2) return 0;
    return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

bool fl_is_main_thread(void) { return getpid() == (pid_t)syscall(SYS_gettid); }

uint64_t fl_heap_bytes_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    return (uint64_t)info.uordblks + (uint64_t)info.hblkhd;
#else
    return 0;
#endif
}

bool fl_ticks_are_invariant(void) {
#if defined(__x86_64__)
    FILE *file = fopen("/proc/cpuinfo", "r");
    if (file == NULL) return false;
    char line[4096];
    bool constant = false, nonstop = false;
    while (fgets(line, sizeof line, file) != NULL) {
        if (strncmp(line, "flags", 5) != 0) continue;
        constant = strstr(line, " constant_tsc") != NULL;
        nonstop = strstr(line, " nonstop_tsc") != NULL;
        break;
    }
    fclose(file);
    return constant && nonstop;
#elif defined(__aarch64__)
    return true;
#else
    return false;
#endif
}
