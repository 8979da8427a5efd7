//! `cartstack-response` and `cartwire cartstack confirm`: not wired in yet (its crate's issue
//! does that).

use cartwire_core::Secret;
use serde_json::Value;

use crate::error::CliError;
use crate::protocol::{Protocol, Sample};

/// A CartStack confirmation response.
pub(crate) struct ResponseJson;

impl Protocol for ResponseJson {
    fn name(&self) -> &'static str {
        "cartstack-response"
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

/// `cartwire cartstack …`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Confirm a purchase.
    Confirm,
}

pub(crate) fn run(_command: Command) -> Result<(), CliError> {
    Err(CliError::unsupported("cartstack", "confirm"))
}
