//! `copysim completions SHELL` and `copysim man`: shell completions and a man page, generated from
//! the same clap definitions as the parser, so they never drift from it.

use clap::CommandFactory;

use super::{Cli, CliError};

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub shell: clap_complete::Shell,
}

/// Prints the completion script for the shell to stdout.
pub fn exec(args: Args) -> Result<(), CliError> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "copysim", &mut buf);
    super::out(&String::from_utf8_lossy(&buf));
    Ok(())
}

/// Prints the man page (roff) to stdout: `copysim man > copysim.1`.
pub fn man() -> Result<(), CliError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| CliError::Other(format!("cannot render the man page: {e}")))?;
    super::out(&String::from_utf8_lossy(&buf));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_and_the_man_page_name_every_subcommand() {
        let mut buf = Vec::new();
        clap_complete::generate(clap_complete::Shell::Bash, &mut Cli::command(), "copysim", &mut buf);
        let bash = String::from_utf8(buf).unwrap();
        let mut man = Vec::new();
        clap_mangen::Man::new(Cli::command()).render(&mut man).unwrap();
        let man = String::from_utf8(man).unwrap();
        for sub in Cli::command().get_subcommands() {
            assert!(bash.contains(sub.get_name()), "bash completion lacks {}", sub.get_name());
            assert!(man.contains(sub.get_name()), "man page lacks {}", sub.get_name());
        }
    }
}
