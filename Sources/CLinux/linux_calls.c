#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
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
