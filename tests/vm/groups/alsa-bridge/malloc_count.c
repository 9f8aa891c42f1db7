/*
 * Counts heap allocations of a process, for the alsa-bridge VM group's allocation check:
 *     LD_PRELOAD=malloc_count.so MALLOC_COUNT_FILE=/tmp/n midisrv …
 * writes the number of malloc/calloc/realloc/memalign-family calls to MALLOC_COUNT_FILE when
 * the process exits. Wraps glibc's own entry points (__libc_malloc …), so no dlsym recursion.
 *
 * To find where allocations come from: MALLOC_TRACE_FILE=path MALLOC_TRACE_AFTER=N
 * MALLOC_TRACE_EVERY=M record the raw return addresses of every M-th allocation after the
 * first N, and the process's memory map at exit, for symbolizing offline (addr2line).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ulong allocations;
static int trace_fd = -2;            /* -2: not set up yet; -1: off */
static unsigned long trace_after, trace_every = 1;
static __thread int inside;

static void trace(void) {
    if (trace_fd == -2) {
        const char *path = getenv("MALLOC_TRACE_FILE");
        trace_fd = -1;
        if (path) {
            const char *after = getenv("MALLOC_TRACE_AFTER"), *every = getenv("MALLOC_TRACE_EVERY");
            trace_after = after ? strtoul(after, NULL, 10) : 0;
            trace_every = every ? strtoul(every, NULL, 10) : 1;
            if (trace_every == 0) trace_every = 1;
            trace_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        }
    }
    if (trace_fd < 0) return;
    unsigned long n = atomic_load_explicit(&allocations, memory_order_relaxed);
    if (n <= trace_after || n % trace_every != 0) return;
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

__attribute__((destructor)) static void report(void) {
    inside = 1;
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (path) {
        FILE *f = fopen(path, "w");
        if (f) {
            fprintf(f, "%lu\n", atomic_load(&allocations));
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
