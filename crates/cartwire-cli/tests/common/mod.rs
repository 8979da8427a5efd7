//! Running the real `cartwire` binary, shared by the command's integration tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The environment variables the command reads; every run starts without them, so a
/// developer's shell cannot change a test's outcome.
const COMMAND_ENV: [&str; 4] = [
    "CARTWIRE_SECRET",
    "CARTFUNNEL_API_SECRET",
    "CARTFUNNEL_ACCOUNT",
    "CARTSTACK_API_KEY",
];

/// Runs `cartwire ARGS` with `env` set and `stdin` on standard input, and waits for it.
pub(crate) fn cartwire(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cartwire"));
    command.args(args);
    for name in COMMAND_ENV {
        command.env_remove(name);
    }
    let mut child = command
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the cartwire binary runs");
    if let Some(mut pipe) = child.stdin.take() {
        // A command that does not read its input may exit first and close the pipe: the
        // outcome is in its exit status and output, not in this write.
        let _ = pipe.write_all(stdin);
    }
    child.wait_with_output().expect("cartwire finishes")
}
