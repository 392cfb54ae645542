import CLinux

/// How the C library's allocator grows its heaps, for a process that builds a province.
public enum HeapGrowth {
    /// 64 MiB at a time rather than what each allocation needs. Growing a thread's heap changes
    /// the address space's protections (`mprotect`), which takes its lock for writing, and
    /// every page fault of the other threads waits behind it: most of them are files read
    /// into fresh buffers. A row rebuild's threads blocked on that lock about 300 times;
    /// growing in large steps made it faster in 11 of 11 alternating pairs (1.04 → 0.99 s,
    /// `docs/performance.md`, fourteenth session), for 7 MiB more at the peak of a full build.
    /// Call once, before the build allocates.
    public static func inLargeSteps() {
        _ = clearwater_grow_heaps_by(64 << 20)
    }
}
