#ifndef CLEARWATER_LINUX_CALLS_H
#define CLEARWATER_LINUX_CALLS_H

#include <spawn.h>

/* Linux calls that Swift's Glibc module does not export (they need _GNU_SOURCE). */

/// Exchanges two paths in one step (renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, else -1 with errno set (ENOSYS or EINVAL where unsupported).
int clearwater_exchange_paths(const char *first, const char *second);

/// Renames `from` to `to` unless `to` exists (renameat2 with RENAME_NOREPLACE).
/// Returns 0 on success, else -1 with errno set (EEXIST when `to` exists; ENOSYS or EINVAL
/// where unsupported).
int clearwater_rename_unless_taken(const char *from, const char *to);

/// pipe2(fds, O_CLOEXEC): both ends close in every child that is not handed them explicitly,
/// so a child started on another thread cannot keep a pipe open by accident.
int clearwater_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np: the child starts in `path`.
int clearwater_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/// malloc_trim(0): returns the free memory of every malloc arena to the system.
int clearwater_release_free_memory(void);

/// mallopt(M_TOP_PAD, bytes): every heap of the allocator grows by at least this much at a time.
int clearwater_grow_heaps_by(int bytes);

/// memmem: whether `needle` occurs in `haystack`, by the C library's fast search.
int clearwater_contains_bytes(const void *haystack, long haystack_length, const void *needle, long needle_length);

/// Marks a folder as the top of a tree (FS_TOPDIR_FL, `chattr +T`): ext4 then spreads the
/// folders made in it over its block groups. Returns 0 on success, else -1 with errno set
/// (ENOTTY or EOPNOTSUPP on file systems without the flag).
int clearwater_mark_top_folder(const char *path);

/// Whether no other open file description refers to the file open at `fd`: a write lease
/// (F_SETLEASE, F_WRLCK) is granted only then, and is given back at once. 0 where it is not
/// (or leases are not supported there), 1 where it is.
int clearwater_is_open_only_here(int fd);

/// Copies what is left of the file open at `from` to the end of the one at `to` inside the
/// kernel (copy_file_range), without passing the bytes through this process. Returns 0 once
/// all is copied, else -1 with errno set.
int clearwater_copy_rest(int from, int to);

/// CRC-32C (Castagnoli) of `length` bytes, continuing from `crc` (0 to start): with the
/// processor's CRC instruction where it has one, else a bit at a time.
unsigned int clearwater_crc32c(unsigned int crc, const void *bytes, long length);

/// Takes a read lease on the file open read-only at `fd` (F_SETLEASE, F_RDLCK): until the
/// descriptor is closed, another process that opens the file to write or truncates it waits
/// (up to /proc/sys/fs/lease-break-time). SIGIO, which announces such a wait, is ignored unless
/// the process handles it. Returns 0 on success, else -1 with errno set (EAGAIN when the file
/// is open for writing, EACCES for another user's file, EINVAL where leases are unsupported).
int clearwater_take_read_lease(int fd);

/// Maps the pages of a file mapping that hold the `length` bytes at `start` in one call
/// (madvise MADV_POPULATE_READ), rather than a page fault for every few pages as they are first
/// read. Does nothing where the kernel cannot (before Linux 5.14).
void clearwater_prefault_for_reading(const void *start, long length);

/// Fills the whole pages of `length` bytes at `start` with zeroed memory for writing in one
/// call (madvise MADV_POPULATE_WRITE), rather than a page fault per page as they are first
/// written. Does nothing where the kernel cannot (before Linux 5.14).
void clearwater_prefault_for_writing(void *start, long length);

/// Asks the processor for the cache lines of the `length` bytes at `start` ahead of their use
/// (`__builtin_prefetch`): rows read in the site's order, not in memory's, wait on memory
/// for each one otherwise. Reads nothing, and faults on nothing.
static inline void clearwater_prefetch(const void *start, long length) {
    for (long offset = 0; offset < length; offset += 64) __builtin_prefetch((const char *)start + offset);
}

#endif
