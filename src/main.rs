//! The `copysim` binary: parse arguments, run the subcommand, map errors to exit codes.

fn main() -> std::process::ExitCode {
    copysim::cli::main()
}
