/*
 * Counts heap allocations of a process. Two users:
 *   - the alsa-bridge VM group's allocation check:
 *         LD_PRELOAD=malloc_count.so MALLOC_COUNT_FILE=/tmp/n midisrv …
 *     writes the number of malloc/calloc/realloc/memalign-family calls to MALLOC_COUNT_FILE
 *     when the process exits;
 *   - in-process tests (`swift test` under scripts/test, which preloads it): they look up
 *     shim_thread_malloc_count() with dlsym and compare it before and after the code under
 *     test, on the test's own thread; without the shim they skip, saying so.
 * Wraps glibc's own entry points (__libc_malloc …), so no dlsym recursion.
 *
 * A measuring window: with MALLOC_TRACE_FILE=path set, SIGUSR2 opens the window and a second
 * SIGUSR2 closes it. Every allocation inside it is counted apart and its raw return addresses
 * are written to the file; the process's memory map follows at exit, for symbolizing offline
 * (alloc_sites.py). The count file then holds "total window".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ulong allocations, window_allocations;
static atomic_int window_open;
static int trace_fd = -1;
static __thread int inside;
static __thread unsigned long thread_allocations;

static void toggle_window(int signal) {
    (void)signal;
    atomic_store(&window_open, !atomic_load(&window_open));
}

__attribute__((constructor)) static void setup(void) {
    const char *path = getenv("MALLOC_TRACE_FILE");
    if (!path) return;
    trace_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = toggle_window;
    action.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &action, NULL);
    /* A process started from a thread that blocks signals (a test runner's worker thread)
     * inherits that mask; the window must still open. */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &usr2, NULL);
}

static void trace(void) {
    if (!atomic_load_explicit(&window_open, memory_order_relaxed)) return;
    atomic_fetch_add_explicit(&window_allocations, 1, memory_order_relaxed);
    if (trace_fd < 0) return;
    void *frames[24];
    int count = backtrace(frames, 24);
    char line[24 * 20 + 8];
    int used = snprintf(line, sizeof line, "T");
    for (int i = 1; i < count; i++) used += snprintf(line + used, sizeof line - used, " %lx", (unsigned long)frames[i]);
    line[used++] = '\n';
    (void)!write(trace_fd, line, used);
}

static inline void counted(void) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    thread_allocations++;
    if (!inside) {
        inside = 1;
        trace();
        inside = 0;
    }
}

void *malloc(size_t size) { counted(); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { counted(); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { counted(); return __libc_realloc(p, size); }
void *memalign(size_t alignment, size_t size) { counted(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    void *p = memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

/* The allocations so far, for tests in the same process (found with dlsym): of the whole
 * process, and of the calling thread — what a test measuring its own synchronous code uses, as
 * other tests run in parallel with it. */
unsigned long shim_malloc_count(void) {
    return atomic_load_explicit(&allocations, memory_order_relaxed);
}

unsigned long shim_thread_malloc_count(void) {
    return thread_allocations;
}

__attribute__((destructor)) static void report(void) {
    inside = 1;
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (path) {
        FILE *f = fopen(path, "w");
        if (f) {
            fprintf(f, "%lu %lu\n", atomic_load(&allocations), atomic_load(&window_allocations));
            fclose(f);
        }
    }
    if (trace_fd >= 0) {
        int maps = open("/proc/self/maps", O_RDONLY);
        char buffer[4096];
        ssize_t n;
        if (maps >= 0) {
            (void)!write(trace_fd, "MAPS\n", 5);
            while ((n = read(maps, buffer, sizeof buffer)) > 0) (void)!write(trace_fd, buffer, n);
            close(maps);
        }
        close(trace_fd);
    }
}
