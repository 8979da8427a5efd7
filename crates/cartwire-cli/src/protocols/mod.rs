//! One module per protocol, each implementing [`crate::protocol::Protocol`].

pub(crate) mod cartfreak;
pub(crate) mod cartfunnel;
pub(crate) mod cartloom;
pub(crate) mod cartstack;
pub(crate) mod justclick;
