//! The payloads of the Hero Card actions: defining and listing cards,
//! previewing and sending one, an operator's confirm or cancel, and the
//! client's answer (over HTTP to the hero-card-submit function).

use serde::Deserialize;
use switchboard_domain::cards::{
    CardChannel, CardField, CardValues, TemplateComponent, TemplateParameters,
};
use switchboard_domain::{CardOutcome, ClientMessageId, ConversationId};

/// A card as an admin writes it; the id is new when absent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CardDraft {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    pub language: String,
    pub channel: CardChannel,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub fields: Vec<CardField>,
    #[serde(default)]
    pub confirm_label: Option<String>,
    #[serde(default)]
    pub cancel_label: Option<String>,
    #[serde(default)]
    pub whatsapp_flow_id: Option<String>,
    #[serde(default)]
    pub expires_after_seconds: Option<u64>,
}

/// `card.put`: an admin saves a card (also during a conversation).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PutCard {
    pub card: CardDraft,
}

/// `card.list`: the cards for a conversation (its channel type and the
/// client's language), or for the channel type and language named.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListCards {
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    #[serde(default)]
    pub channel: Option<CardChannel>,
    /// Another language than the client's; all of its cards.
    #[serde(default)]
    pub language: Option<String>,
}

/// `card.preview`: how a card with these prefills would look to the client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreviewCard {
    pub card_id: String,
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    #[serde(default)]
    pub values: CardValues,
}

/// `card.send`: the card, prefilled, into the operator's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendCard {
    pub conversation_id: ConversationId,
    pub card_id: String,
    /// Makes a retried send the same card: one card, one chat item.
    pub client_message_id: ClientMessageId,
    #[serde(default)]
    pub values: CardValues,
}

/// `card.resolve`: the operator confirms or cancels from their side.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResolveCard {
    pub instance_id: String,
    pub outcome: CardOutcome,
}

/// `card.get`: a sent card as it stands (a client reloading its chat).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardRef {
    pub instance_id: String,
}

/// The client's answer, the body of `POST /cards/{instanceId}/submit`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubmitCard {
    pub outcome: CardOutcome,
    #[serde(default)]
    pub values: CardValues,
}

/// `template.put`: an admin defines a WhatsApp template as Meta approved it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PutTemplate {
    pub name: String,
    pub language: String,
    pub category: String,
    #[serde(default)]
    pub status: Option<String>,
    pub components: Vec<TemplateComponent>,
}

/// `template.list`: the approved templates in the conversation's client
/// language, or in `language`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListTemplates {
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    #[serde(default)]
    pub language: Option<String>,
}

/// `template.preview` and `template.send`: a template with its placeholders
/// filled; a send names its conversation and client message id.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UseTemplate {
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    #[serde(default)]
    pub client_message_id: Option<ClientMessageId>,
    pub name: String,
    pub language: String,
    #[serde(default)]
    pub parameters: TemplateParameters,
}
