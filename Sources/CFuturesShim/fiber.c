// Fibers: stacks of execution that one OS thread switches between by hand.
//
// The deterministic runtime runs every simulated thread of a run on one host
// OS thread and hands control over at scheduling points with `fl_fiber_switch`
// (about 10 ns) instead of waking one OS thread and putting another to sleep
// (about 4.5 µs on this VM: two futex calls and a context switch). Shuttle and
// Loom do the same with Rust generators.
//
// The switch saves what the System V (x86-64) and AAPCS64 (arm64) calling
// conventions say a callee must preserve; elsewhere it falls back on ucontext.
// Under ThreadSanitizer every fiber is announced to TSan, which then sees each
// switch as a hand-off (happens-before), as it would a futex wake.
#define _GNU_SOURCE
#include "CFuturesShim.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FL_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define FL_TSAN 1
#endif

#ifdef FL_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

#if !defined(__x86_64__) && !defined(__aarch64__)
#define FL_UCONTEXT 1
#include <ucontext.h>
#endif

struct fl_fiber {
    void *sp;            // saved stack pointer while switched out
    void *stack;         // mmap'd region (guard page first), NULL for a host
    size_t stack_bytes;  // size of that region
#ifdef FL_TSAN
    void *tsan;
#endif
#ifdef FL_UCONTEXT
    ucontext_t context;
#endif
};

// Saves the callee-saved registers on the current stack, stores the stack
// pointer in *save, loads `next` and restores what it saved there. A new fiber's
// stack is laid out so that the restore "returns" into fl_fiber_start.
void fl_fiber_swap(void **save, void *next);

#if defined(__x86_64__)
__asm__(
    ".text\n"
    ".globl fl_fiber_swap\n"
    ".type fl_fiber_swap,@function\n"
    "fl_fiber_swap:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    subq $8, %rsp\n"
    "    stmxcsr (%rsp)\n"
    "    fnstcw 4(%rsp)\n"
    "    movq %rsp, (%rdi)\n"
    "    movq %rsi, %rsp\n"
    "    ldmxcsr (%rsp)\n"
    "    fldcw 4(%rsp)\n"
    "    addq $8, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    ".size fl_fiber_swap,.-fl_fiber_swap\n"
    // First code of a fiber: r12 holds the entry, r13 its argument.
    ".globl fl_fiber_start\n"
    ".type fl_fiber_start,@function\n"
    "fl_fiber_start:\n"
    "    .cfi_startproc\n"
    "    .cfi_undefined rip\n"
    "    movq %r13, %rdi\n"
    "    callq *%r12\n"
    "    ud2\n"
    "    .cfi_endproc\n"
    ".size fl_fiber_start,.-fl_fiber_start\n");
#elif defined(__aarch64__)
__asm__(
    ".text\n"
    ".globl fl_fiber_swap\n"
    ".type fl_fiber_swap,%function\n"
    "fl_fiber_swap:\n"
    "    sub sp, sp, #160\n"
    "    stp x19, x20, [sp, #0]\n"
    "    stp x21, x22, [sp, #16]\n"
    "    stp x23, x24, [sp, #32]\n"
    "    stp x25, x26, [sp, #48]\n"
    "    stp x27, x28, [sp, #64]\n"
    "    stp x29, x30, [sp, #80]\n"
    "    stp d8, d9, [sp, #96]\n"
    "    stp d10, d11, [sp, #112]\n"
    "    stp d12, d13, [sp, #128]\n"
    "    stp d14, d15, [sp, #144]\n"
    "    mov x9, sp\n"
    "    str x9, [x0]\n"
    "    mov sp, x1\n"
    "    ldp x19, x20, [sp, #0]\n"
    "    ldp x21, x22, [sp, #16]\n"
    "    ldp x23, x24, [sp, #32]\n"
    "    ldp x25, x26, [sp, #48]\n"
    "    ldp x27, x28, [sp, #64]\n"
    "    ldp x29, x30, [sp, #80]\n"
    "    ldp d8, d9, [sp, #96]\n"
    "    ldp d10, d11, [sp, #112]\n"
    "    ldp d12, d13, [sp, #128]\n"
    "    ldp d14, d15, [sp, #144]\n"
    "    add sp, sp, #160\n"
    "    ret\n"
    ".size fl_fiber_swap,.-fl_fiber_swap\n"
    ".globl fl_fiber_start\n"
    ".type fl_fiber_start,%function\n"
    "fl_fiber_start:\n"
    "    mov x0, x20\n"
    "    blr x19\n"
    "    brk #0\n"
    ".size fl_fiber_start,.-fl_fiber_start\n");
#endif

#ifndef FL_UCONTEXT
void fl_fiber_start(void);
#endif

// Stacks of ended fibers, kept for the next ones: a fresh mapping costs a page
// fault per touched page. Not under TSan, which keeps state for stack memory.
enum { CACHE_LIMIT = 64 };
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static void *cached_stacks[CACHE_LIMIT];
static size_t cached_sizes[CACHE_LIMIT];
static int cached_count = 0;

static void *take_stack(size_t bytes) {
#ifndef FL_TSAN
    pthread_mutex_lock(&cache_lock);
    for (int i = cached_count - 1; i >= 0; i--) {
        if (cached_sizes[i] == bytes) {
            void *stack = cached_stacks[i];
            cached_count--;
            cached_stacks[i] = cached_stacks[cached_count];
            cached_sizes[i] = cached_sizes[cached_count];
            pthread_mutex_unlock(&cache_lock);
            return stack;
        }
    }
    pthread_mutex_unlock(&cache_lock);
#endif
    void *stack = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return NULL;
    // The lowest page is the guard: an overflow faults instead of corrupting.
    if (mprotect(stack, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE) != 0) {
        munmap(stack, bytes);
        return NULL;
    }
    return stack;
}

static void give_back_stack(void *stack, size_t bytes) {
#ifndef FL_TSAN
    pthread_mutex_lock(&cache_lock);
    if (cached_count < CACHE_LIMIT) {
        cached_stacks[cached_count] = stack;
        cached_sizes[cached_count] = bytes;
        cached_count++;
        pthread_mutex_unlock(&cache_lock);
        return;
    }
    pthread_mutex_unlock(&cache_lock);
#endif
    munmap(stack, bytes);
}

fl_fiber_t *fl_fiber_create_host(void) {
    fl_fiber_t *fiber = calloc(1, sizeof(fl_fiber_t));
    if (fiber == NULL) abort();
#ifdef FL_TSAN
    fiber->tsan = __tsan_get_current_fiber();
#endif
    return fiber;
}

fl_fiber_t *fl_fiber_create(size_t stack_bytes, void (*entry)(void *), void *argument) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    stack_bytes = (stack_bytes + page - 1) / page * page + page;
    fl_fiber_t *fiber = calloc(1, sizeof(fl_fiber_t));
    if (fiber == NULL) return NULL;
    fiber->stack = take_stack(stack_bytes);
    if (fiber->stack == NULL) {
        free(fiber);
        return NULL;
    }
    fiber->stack_bytes = stack_bytes;
    uintptr_t top = ((uintptr_t)fiber->stack + stack_bytes) & ~(uintptr_t)15;
#if defined(__x86_64__)
    // From the saved stack pointer up: mxcsr + x87 control word, r15, r14,
    // r13 (argument), r12 (entry), rbx, rbp, return address (fl_fiber_start),
    // then a 16-byte aligned top, as a call would leave it.
    uint64_t *frame = (uint64_t *)(top - 8 * 8);
    uint32_t mxcsr;
    uint16_t fpucw;
    __asm__ __volatile__("stmxcsr %0" : "=m"(mxcsr));
    __asm__ __volatile__("fnstcw %0" : "=m"(fpucw));
    memset(frame, 0, 8 * 8);
    memcpy(&frame[0], &mxcsr, 4);
    memcpy((char *)&frame[0] + 4, &fpucw, 2);
    frame[3] = (uint64_t)(uintptr_t)argument;  // r13
    frame[4] = (uint64_t)(uintptr_t)entry;     // r12
    frame[7] = (uint64_t)(uintptr_t)fl_fiber_start;
    fiber->sp = frame;
#elif defined(__aarch64__)
    uint64_t *frame = (uint64_t *)(top - 160);
    memset(frame, 0, 160);
    frame[0] = (uint64_t)(uintptr_t)entry;     // x19
    frame[1] = (uint64_t)(uintptr_t)argument;  // x20
    frame[11] = (uint64_t)(uintptr_t)fl_fiber_start;  // x30 (link register)
    fiber->sp = frame;
#else
    getcontext(&fiber->context);
    fiber->context.uc_stack.ss_sp = (char *)fiber->stack + page;
    fiber->context.uc_stack.ss_size = stack_bytes - page;
    fiber->context.uc_link = NULL;
    makecontext(&fiber->context, (void (*)(void))entry, 1, argument);
#endif
#ifdef FL_TSAN
    fiber->tsan = __tsan_create_fiber(0);
#endif
    return fiber;
}

void fl_fiber_destroy(fl_fiber_t *fiber) {
    if (fiber == NULL) return;
#ifdef FL_TSAN
    if (fiber->stack != NULL) __tsan_destroy_fiber(fiber->tsan);
#endif
    if (fiber->stack != NULL) give_back_stack(fiber->stack, fiber->stack_bytes);
    free(fiber);
}

void fl_fiber_switch(fl_fiber_t *from, fl_fiber_t *to) {
#ifdef FL_TSAN
    __tsan_switch_to_fiber(to->tsan, 0);
#endif
#ifdef FL_UCONTEXT
    swapcontext(&from->context, &to->context);
#else
    fl_fiber_swap(&from->sp, to->sp);
#endif
}
