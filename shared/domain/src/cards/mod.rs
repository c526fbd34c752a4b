//! Hero Cards: forms a tenant admin defines per language and channel type,
//! which an operator prefills and sends, and which the client (or the
//! operator) confirms or cancels, once.

pub mod definition;
pub mod fields;
pub mod instance;
pub mod render;
pub mod template;

pub use definition::{CardChannel, CardDefinition, CardDefinitionError};
pub use fields::{check_values, CardField, CardValues, ChoiceOption, FieldKind, ValueError};
pub use instance::{
    button_words, outcome_line, CardAnswer, CardError, CardInstance, CardSide, CardState,
    CardSubmission,
};
pub use template::{TemplateComponent, TemplateParameters, WhatsAppTemplate};

#[cfg(test)]
mod tests;
