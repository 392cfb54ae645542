#ifndef CLEARWATER_ATOMIC_SWAP_H
#define CLEARWATER_ATOMIC_SWAP_H

/// Exchanges two paths in one step (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, else -1 with errno set (ENOSYS or EINVAL where unsupported).
int clearwater_exchange_paths(const char *first, const char *second);

#endif
