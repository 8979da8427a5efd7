//! The command's errors and their exit codes.

use std::process::ExitCode;

use cartwire_core::{Error, ErrorKind};

/// Everything that ends a command unsuccessfully. The exit code is part of the stable
/// contract: 1 malformed input (or a refusal from the remote side), 2 usage, 3 verification failed, 4 I/O or network.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The input is not a well-formed message of the protocol (exit 1).
    #[error("malformed input: {0}")]
    Malformed(String),
    /// The remote side answered, and refused (a CartStack 102, a Cartfunnel write that was
    /// not saved): exit 1, like malformed input, with the answer's reason.
    #[error("{0}")]
    Rejected(String),
    /// The command was used wrongly: a missing secret, an unsupported operation (exit 2).
    #[error("{0}")]
    Usage(String),
    /// A hash, signature or token did not check out, or a key was refused (exit 3). The
    /// message says so itself (`verification failed: …` for a delivery).
    #[error("{0}")]
    Verify(String),
    /// Reading input, or reaching a server, failed (exit 4).
    #[error("{0}")]
    Io(String),
}

impl CliError {
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Malformed(_) | CliError::Rejected(_) => 1,
            CliError::Usage(_) => 2,
            CliError::Verify(_) => 3,
            CliError::Io(_) => 4,
        })
    }

    /// An operation the protocol does not have (`sign` for an unsigned protocol, say).
    pub(crate) fn unsupported(protocol: &str, operation: &str) -> Self {
        CliError::Usage(format!("`{operation}` is not available for {protocol}"))
    }
}

impl From<Error> for CliError {
    fn from(err: Error) -> Self {
        match err.kind() {
            ErrorKind::VerificationFailed => CliError::Verify(err.to_string()),
            _ => CliError::Malformed(err.to_string()),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        CliError::Io(err.to_string())
    }
}

impl From<serde_json::Error> for CliError {
    fn from(err: serde_json::Error) -> Self {
        CliError::Malformed(format!("JSON: {err}"))
    }
}
