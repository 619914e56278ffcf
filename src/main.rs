//! The `copysim` binary: parse arguments, run the subcommand, map errors to exit codes.
//!
//! It allocates with mimalloc, asked to back its memory with transparent huge pages where the
//! kernel allows them (`madvise`, Linux's default): a fleet's live state is hundreds of
//! megabytes touched at random, and 2 MiB pages spare most of the TLB misses 4 KiB pages cost
//! (README "Performance"). Where huge pages are unavailable it falls back to normal pages.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // SAFETY: `mi_option_set` only stores an option value; it is called before any other thread
    // exists, and mimalloc reads the option when it next asks the OS for memory.
    unsafe { libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1) };
    copysim::cli::main()
}
