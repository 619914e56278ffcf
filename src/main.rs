//! The `copysim` binary: parse arguments, run the subcommand, map errors to exit codes. It
//! allocates with mimalloc on huge pages ([`copysim::kernel::memory`]).

#[global_allocator]
static ALLOCATOR: copysim::kernel::memory::Allocator = copysim::kernel::memory::Allocator;

fn main() -> std::process::ExitCode {
    copysim::kernel::memory::prefer_huge_pages();
    copysim::cli::main()
}
