//! The allocator the binaries use: mimalloc, backed by transparent huge pages where the kernel
//! allows them. A fleet's live state is hundreds of megabytes touched at random; 2 MiB pages
//! spare most of the TLB misses that 4 KiB pages cost (docs/performance.md, "Huge pages"). A
//! binary declares `#[global_allocator] static A: copysim::kernel::memory::Allocator = copysim::kernel::memory::Allocator;`
//! and calls [`prefer_huge_pages`] first thing in `main`. The library itself imposes no allocator.

/// mimalloc (v2: v3 held ~20 % more memory at the same speed).
pub use mimalloc::MiMalloc as Allocator;

/// mimalloc's `mi_option_purge_delay` (v2 `mimalloc.h`: the 16th option; the `-sys` crate names
/// the options around it but not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Asks mimalloc to `madvise` its memory for huge pages (Linux's default THP mode only gives
/// them to memory so advised), and never to purge freed memory back to the OS: a purge splits
/// the 2 MiB page it falls in, and a retained fleet frees and reuses memory all run long — with
/// purging, half of the fleet-year's 850 MB ended on 4 KiB pages; without, all but 7 MB are
/// huge, for 12 MB more peak. Call before any other thread starts; where huge pages are
/// unavailable, normal pages are used.
pub fn prefer_huge_pages() {
    // SAFETY: `mi_option_set` only stores an option value, read when mimalloc next asks the OS
    // for memory or purges; no allocation is in flight on another thread when this runs at start.
    unsafe {
        libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
}
