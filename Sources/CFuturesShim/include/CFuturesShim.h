// CFuturesShim — the only C in FuturesLab.
//
// Why C: a futex needs the address of a 32-bit atomic word that stays put, and
// Swift's `Atomic` does not expose its address; switching stacks needs a few
// lines of assembly. Everything unsafe about blocking a thread or switching a
// fiber lives here; the Swift side (`NativeParker`, `Fiber`) owns the memory
// and the lifetime.
#ifndef CFUTURESSHIM_H
#define CFUTURESSHIM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

/// A one-token parker (the design of Rust's std futex parker): `unpark` leaves a
/// token, `park` consumes it or sleeps until one arrives. An `unpark` that finds
/// nobody asleep costs one atomic exchange and no system call.
typedef struct fl_parker fl_parker_t;

fl_parker_t *fl_parker_create(void);
void fl_parker_destroy(fl_parker_t *parker);

/// Waits for the token. Spins for up to `spin_ns` nanoseconds first (a hot
/// hand-off never enters the kernel), then sleeps on the futex.
/// `deadline_ns` is an absolute CLOCK_MONOTONIC time, or 0 for no deadline.
/// Returns true when a token was consumed, false when the deadline passed.
/// May return true for a token left by an earlier, stale `unpark`: callers
/// re-check their condition in a loop.
bool fl_parker_park(fl_parker_t *parker, uint64_t deadline_ns, uint64_t spin_ns);

/// Leaves the token; wakes the parked thread if it sleeps.
void fl_parker_unpark(fl_parker_t *parker);

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t fl_monotonic_ns(void);

/// Names the calling OS thread (truncated to the kernel's 15 bytes).
void fl_set_current_thread_name(const char *name);

/// A fiber: a stack of execution that an OS thread enters and leaves by
/// hand (see fiber.c). The deterministic runtime runs each simulated thread
/// as one, all on one host thread.
typedef struct fl_fiber fl_fiber_t;

/// The calling OS thread's own stack, as a fiber to switch back to.
fl_fiber_t *fl_fiber_create_host(void);

/// A new fiber with a stack of `stack_bytes` (plus a guard page) that, when
/// first switched to, calls `entry(argument)`. `entry` must never return: it
/// ends by switching away for good. NULL if no stack could be mapped.
fl_fiber_t *fl_fiber_create(size_t stack_bytes, void (*entry)(void *), void *argument);

/// Frees a fiber that is not running (and will never run again).
void fl_fiber_destroy(fl_fiber_t *fiber);

/// Suspends the running fiber `from` and resumes `to`; returns when some
/// fiber switches back to `from`.
void fl_fiber_switch(fl_fiber_t *from, fl_fiber_t *to);

/// Starts `argv[0]` (searched in PATH) with `argv` and `envp` (both
/// NULL-terminated). Descriptors 0, 1, 2 come from `stdin_fd`, `stdout_fd`,
/// `stderr_fd` (-1: /dev/null); every other descriptor is closed, the signal
/// mask is empty and every disposition the default. Returns 0 and sets
/// `*pid`, or an errno.
int fl_spawn(const char *const argv[], const char *const envp[], int stdin_fd, int stdout_fd, int stderr_fd, int *pid);

/// A pipe whose two ends close on exec (children get only what fl_spawn
/// gives them). Returns 0 or an errno.
int fl_pipe_cloexec(int descriptors[2]);

/// True on the process's initial thread.
bool fl_is_main_thread(void);

/// Bytes malloc has handed out and not taken back (mallinfo2), 0 if unknown.
uint64_t fl_heap_bytes_in_use(void);

/// Resident set size of this process in bytes, read from /proc/self/statm.
uint64_t fl_resident_bytes(void);



/// True if the CPU's time-stamp counter runs at a constant rate and never
/// stops (constant_tsc and nonstop_tsc), so its ticks can stand for time.
bool fl_ticks_are_invariant(void);

/// A cheap timestamp: the TSC on x86-64 (about 11 ns here, against 29 ns for
/// clock_gettime), the virtual counter on arm64. Only meaningful together with
/// a calibration against fl_monotonic_ns (see the trace recorder).
static inline uint64_t fl_ticks(void) {
#if defined(__x86_64__)
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
    uint64_t value;
    __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(value));
    return value;
#else
    return fl_monotonic_ns();
#endif
}

/// One spin-wait hint (PAUSE on x86, YIELD on arm64); inlined into Swift.
static inline void fl_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
#endif

/// Flushes stdout and returns nonzero if it failed or any earlier write to it
/// did (a full disk, /dev/full, a closed pipe): stdout is a C global Swift 6
/// will not read.
int fl_stdout_failed(void);
