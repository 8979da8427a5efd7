//! `cartfreak`: not wired in yet (its crate's issue does that).

use cartwire_core::Secret;
use serde_json::Value;

use crate::error::CliError;
use crate::protocol::{Protocol, Sample};

/// The cartfreak protocol.
pub(crate) struct CartFreak;

impl Protocol for CartFreak {
    fn name(&self) -> &'static str {
        "cartfreak"
    }

    fn decode(&self, _input: &[u8], _secret: Option<&Secret>) -> Result<Value, CliError> {
        Err(CliError::unsupported(self.name(), "decode"))
    }

    fn encode(&self, _json: &Value, _secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        Err(CliError::unsupported(self.name(), "encode"))
    }

    fn samples(&self) -> Vec<Sample> {
        Vec::new()
    }
}
