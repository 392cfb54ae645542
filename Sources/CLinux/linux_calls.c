#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/fs.h>
#include "linux_calls.h"

int clearwater_exchange_paths(const char *first, const char *second) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, 2 /* RENAME_EXCHANGE */);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int clearwater_rename_unless_taken(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int clearwater_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int clearwater_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int clearwater_release_free_memory(void) {
    return malloc_trim(0);
}

int clearwater_grow_heaps_by(int bytes) {
    return mallopt(M_TOP_PAD, bytes);
}

int clearwater_contains_bytes(const void *haystack, long haystack_length, const void *needle, long needle_length) {
    return memmem(haystack, (size_t)haystack_length, needle, (size_t)needle_length) != NULL;
}

int clearwater_mark_top_folder(const char *path) {
    int folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) return -1;
    int flags = 0;
    int result = ioctl(folder, FS_IOC_GETFLAGS, &flags);
    if (result == 0 && !(flags & FS_TOPDIR_FL)) {
        flags |= FS_TOPDIR_FL;
        result = ioctl(folder, FS_IOC_SETFLAGS, &flags);
    }
    int saved = errno;
    close(folder);
    errno = saved;
    return result;
}

#if defined(__x86_64__)
#include <nmmintrin.h>

/* The CRC register times x^(8 * bytes) modulo the polynomial, bit-reflected as the register is:
   what the register becomes when `bytes` zero bytes are run through it (as zlib's
   crc32_combine works it out). */
static uint32_t crc32c_times(uint32_t a, uint32_t b) {
    uint32_t product = 0;
    for (uint32_t bit = (uint32_t)1 << 31; bit != 0; bit >>= 1) {
        if (a & bit) product ^= b;
        b = (b & 1) ? (b >> 1) ^ 0x82F63B78u : b >> 1;
    }
    return product;
}

static uint32_t crc32c_shift_factor(long bytes) {
    uint32_t factor = (uint32_t)1 << 31, power = (uint32_t)1 << 30; /* x^0, then x^1 */
    for (unsigned long bits = (unsigned long)bytes * 8; bits != 0; bits >>= 1) {
        if (bits & 1) factor = crc32c_times(power, factor);
        power = crc32c_times(power, power);
    }
    return factor;
}

__attribute__((target("sse4.2")))
static uint64_t crc32c_words(uint64_t crc, const unsigned char *bytes, long words) {
    for (long word = 0; word < words; word++) {
        uint64_t value;
        memcpy(&value, bytes + word * 8, 8);
        crc = _mm_crc32_u64(crc, value);
    }
    return crc;
}

/* Three blocks at a time, each in a register of its own, joined by shifting the first two past
   the blocks after them: the instruction takes three cycles to give its result and can start
   one every cycle, so one register at a time ran at a third of the speed (CRC-32C was a
   thirtieth of a province's row rebuild: its stores are checked and written whole). */
enum { crc32c_block = 8192 };

static uint32_t crc32c_one_block, crc32c_two_blocks;
static pthread_once_t crc32c_factors_once = PTHREAD_ONCE_INIT;

static void crc32c_make_factors(void) {
    crc32c_one_block = crc32c_shift_factor(crc32c_block);
    crc32c_two_blocks = crc32c_shift_factor(2 * crc32c_block);
}

__attribute__((target("sse4.2")))
static uint32_t crc32c_instruction(uint32_t crc, const unsigned char *bytes, long length) {
    pthread_once(&crc32c_factors_once, crc32c_make_factors);
    const uint32_t one_block = crc32c_one_block, two_blocks = crc32c_two_blocks;
    uint64_t wide = crc;
    for (; length >= 3 * crc32c_block; bytes += 3 * crc32c_block, length -= 3 * crc32c_block) {
        uint64_t first = wide, second = 0, third = 0;
        for (long word = 0; word < crc32c_block / 8; word++) {
            uint64_t a, b, c;
            memcpy(&a, bytes + word * 8, 8);
            memcpy(&b, bytes + crc32c_block + word * 8, 8);
            memcpy(&c, bytes + 2 * crc32c_block + word * 8, 8);
            first = _mm_crc32_u64(first, a);
            second = _mm_crc32_u64(second, b);
            third = _mm_crc32_u64(third, c);
        }
        wide = crc32c_times(two_blocks, (uint32_t)first) ^ crc32c_times(one_block, (uint32_t)second) ^ (uint32_t)third;
    }
    wide = crc32c_words(wide, bytes, length / 8);
    bytes += length / 8 * 8;
    length %= 8;
    crc = (uint32_t)wide;
    for (; length > 0; bytes++, length--) crc = _mm_crc32_u8(crc, *bytes);
    return crc;
}
#endif

static uint32_t crc32c_bits(uint32_t crc, const unsigned char *bytes, long length) {
    for (; length > 0; bytes++, length--) {
        crc ^= *bytes;
        for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return crc;
}

unsigned int clearwater_crc32c(unsigned int crc, const void *bytes, long length) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("sse4.2")) return ~crc32c_instruction(~crc, bytes, length);
#endif
    return ~crc32c_bits(~crc, bytes, length);
}

int clearwater_is_open_only_here(int fd) {
#if defined(__linux__) && defined(F_SETLEASE)
    if (fcntl(fd, F_SETLEASE, F_WRLCK) != 0) return 0;
    fcntl(fd, F_SETLEASE, F_UNLCK);
    return 1;
#else
    return 0;
#endif
}

int clearwater_copy_rest(int from, int to) {
    for (;;) {
        ssize_t copied = copy_file_range(from, NULL, to, NULL, 1 << 30, 0);
        if (copied == 0) return 0;
        if (copied < 0 && errno != EINTR) return -1;
    }
}

int clearwater_take_read_lease(int fd) {
#if defined(__linux__) && defined(F_SETLEASE)
    /* A writer that breaks the lease signals the holder with SIGIO, whose default action ends
       the process: the build holds the lease only while it reads, so the signal is not needed. */
    struct sigaction current;
    if (sigaction(SIGIO, NULL, &current) == 0 && current.sa_handler == SIG_DFL) signal(SIGIO, SIG_IGN);
    return fcntl(fd, F_SETLEASE, F_RDLCK);
#else
    errno = ENOSYS;
    return -1;
#endif
}

void clearwater_prefault_for_reading(const void *start, long length) {
#if defined(__linux__)
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t first = (uintptr_t)start & ~(uintptr_t)(page - 1);
    uintptr_t end = ((uintptr_t)start + length + page - 1) & ~(uintptr_t)(page - 1);
    if (end > first) madvise((void *)first, end - first, 22 /* MADV_POPULATE_READ */);
#endif
}

void clearwater_prefault_for_writing(void *start, long length) {
#if defined(__linux__)
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t first = ((uintptr_t)start + page - 1) & ~(uintptr_t)(page - 1);
    uintptr_t end = ((uintptr_t)start + length) & ~(uintptr_t)(page - 1);
    if (end > first) madvise((void *)first, end - first, 23 /* MADV_POPULATE_WRITE */);
#endif
}
