//! `cartfunnel-customer`, `cartfunnel-customers` and `cartwire cartfunnel …`: not wired in
//! yet (its crate's issue does that).

use cartwire_core::Secret;
use serde_json::Value;

use crate::error::CliError;
use crate::protocol::{Protocol, Sample};

/// One customer object.
pub(crate) struct CustomerJson;

/// One page of the customer list.
pub(crate) struct CustomerPageJson;

impl Protocol for CustomerJson {
    fn name(&self) -> &'static str {
        "cartfunnel-customer"
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

impl Protocol for CustomerPageJson {
    fn name(&self) -> &'static str {
        "cartfunnel-customers"
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

/// `cartwire cartfunnel …`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// The customers resource.
    Customers,
}

pub(crate) fn run(_command: Command) -> Result<(), CliError> {
    Err(CliError::unsupported("cartfunnel", "customers"))
}
