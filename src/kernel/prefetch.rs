//! A hint to the CPU to start loading memory that a later step will read: the engine's hourly
//! walks (every volume's retention lists, the backups and copies they name) know what they will
//! touch a few volumes ahead, and a fleet's live state is far larger than the caches. A hint
//! changes no result, only when the memory arrives.

/// Bytes per cache line (x86-64 and most ARM cores).
const LINE: usize = 64;

/// Live state from which loading ahead pays: below it, what a walk reads is most likely in
/// cache already and a hint is only instructions (the 1,000-volume benchmark, whose settled
/// fleet keeps a few MB live, ran 20 % more instructions with hints and no faster).
pub const PAYS_FROM_BYTES: usize = 16 << 20;

/// Whether loading ahead pays over `live_bytes` of live state (see [`PAYS_FROM_BYTES`]).
#[inline]
pub fn pays(live_bytes: usize) -> bool {
    live_bytes > PAYS_FROM_BYTES
}

/// Asks the CPU to start loading every cache line of `x` (at most four) into its caches. Never
/// reads `x`, never faults; a no-op on targets without a prefetch instruction we use.
#[inline(always)]
pub fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let start = std::ptr::from_ref(x).cast::<i8>();
        let size = size_of::<T>().max(1);
        // The lines `start + k * LINE` and the one holding the last byte cover `x` whatever
        // its alignment; `size` is a constant, so this unrolls to a few adds (a line named
        // twice costs nothing more). At most four lines, as documented.
        let lines = size.div_ceil(LINE).min(3);
        for k in 0..lines {
            // SAFETY: `prefetch` is a hint: it reads nothing the program can observe and never
            // faults, whatever the address. SSE, which it needs, is part of the x86-64 baseline.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(start.wrapping_add(k * LINE)) }
        }
        // SAFETY: as above.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(start.wrapping_add(size - 1)) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_changes_nothing() {
        let v: Vec<[u64; 40]> = vec![[7; 40]; 3];
        prefetch(&v[1]);
        prefetch(&());
        assert_eq!(v[1][39], 7);
    }
}
