//! The protocol as JSON Schema, generated from the types the gateway parses
//! and serializes: `docs/protocol/actions.schema.json` (what clients send)
//! and `docs/protocol/events.schema.json` (what they receive). The web
//! clients' TypeScript types are generated from these two files, and a test
//! fails when either is stale (`UPDATE_SCHEMA=1` rewrites them).

use super::*;
use crate::views::Event;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// How each action's fields are described: `None` for an action with none.
type Fields = fn(&mut SchemaGenerator) -> Schema;

fn of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// Every action `parse_request` knows, with the type its fields parse into.
pub const ACTIONS: &[(&str, Option<Fields>)] = &[
    ("hello", None),
    ("ping", None),
    ("conversation.start", Some(of::<StartConversation>)),
    ("message.send", Some(of::<SendMessage>)),
    ("note.add", Some(of::<AddNote>)),
    ("typing", Some(of::<Typing>)),
    ("history", Some(of::<History>)),
    ("queue.list", None),
    ("conversation.preview", Some(of::<ConversationRef>)),
    ("conversation.accept", Some(of::<ConversationRef>)),
    ("conversation.close", Some(of::<OptionalConversationRef>)),
    ("operator.status", Some(of::<SetStatus>)),
    ("tenant.settings", Some(of::<UpdateSettings>)),
    ("group.put", Some(of::<PutGroup>)),
    ("group.list", None),
    ("sla.put", Some(of::<PutSlaRules>)),
    ("sla.list", None),
    ("conversation.transfer", Some(of::<Transfer>)),
    ("conversation.redirect", Some(of::<Transfer>)),
    ("transfer.decline", Some(of::<DeclineTransfer>)),
    ("conversation.assign", Some(of::<AdminAssign>)),
    ("invitation.create", Some(of::<CreateInvitation>)),
    ("offline.submit", Some(of::<SubmitOffline>)),
    ("operator.conversations", Some(of::<OperatorRef>)),
    ("widget.route", Some(of::<RouteWidget>)),
    ("widget.origins", Some(of::<SetWidgetOrigins>)),
    ("client.tags", Some(of::<TagClient>)),
    ("card.put", Some(of::<PutCard>)),
    ("card.list", Some(of::<ListCards>)),
    ("card.preview", Some(of::<PreviewCard>)),
    ("card.send", Some(of::<SendCard>)),
    ("card.resolve", Some(of::<ResolveCard>)),
    ("card.get", Some(of::<CardRef>)),
    ("template.put", Some(of::<PutTemplate>)),
    ("template.list", Some(of::<ListTemplates>)),
    ("template.preview", Some(of::<UseTemplate>)),
    ("template.send", Some(of::<UseTemplate>)),
    ("template.sync", None),
    ("textblock.search", Some(of::<SearchTextBlocks>)),
    ("textblock.insert", Some(of::<InsertTextBlock>)),
    ("client.info", Some(of::<ClientInfo>)),
    ("page.view", Some(of::<ViewPage>)),
    ("client.pages", Some(of::<ConversationRef>)),
    ("conversation.progress", Some(of::<SetProgress>)),
    ("conversation.list", Some(of::<ListConversations>)),
    ("conversation.search", Some(of::<SearchConversations>)),
    ("conversation.tags", Some(of::<TagClient>)),
    ("client.preview", Some(of::<ConversationRef>)),
    ("client.merge.plan", Some(of::<MergeClients>)),
    ("client.merge", Some(of::<MergeClients>)),
];

fn finish(mut generator: SchemaGenerator, title: &str, root: Value) -> Value {
    let mut doc = Map::new();
    doc.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    doc.insert("title".into(), json!(title));
    if let Value::Object(root) = root {
        doc.extend(root);
    }
    let mut defs: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    // A root that only points into `$defs` is inlined: generators of types
    // (json-schema-to-typescript) want the root to be the type itself.
    if let Some(Value::String(target)) = doc.get("$ref").cloned() {
        if let Some(Value::Object(inline)) = target
            .strip_prefix("#/$defs/")
            .and_then(|name| defs.remove(name))
        {
            doc.remove("$ref");
            doc.extend(inline);
        }
    }
    doc.insert("$defs".into(), Value::Object(defs));
    Value::Object(doc)
}

/// What clients send: one frame is one of these.
pub fn actions_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    let frames: Vec<Value> = ACTIONS
        .iter()
        .map(|(name, fields)| {
            let envelope = json!({
                "type": "object",
                "properties": {
                    "action": {"const": name},
                    "requestId": {"type": "string", "maxLength": 128,
                        "description": "Echoed on the events that answer this frame."}
                },
                "required": ["action"]
            });
            match fields {
                None => envelope,
                Some(fields) => json!({"allOf": [envelope, fields(&mut generator).to_value()]}),
            }
        })
        .collect();
    finish(
        generator,
        "ClientAction",
        json!({"description": "A client frame: an action and its fields.", "oneOf": frames}),
    )
}

/// What the gateway pushes: one frame is one of these, with `requestId`
/// when it answers a frame that carried one.
pub fn events_schema() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let event = generator.subschema_for::<Event>().to_value();
    let mut doc = finish(generator, "ServerEvent", event);
    if let Some(Value::Array(variants)) = doc.get_mut("oneOf") {
        for variant in variants.iter_mut() {
            split_ref(variant);
        }
    }
    doc
}

/// A newtype variant (`ClientPreview(Box<ClientPreview>)`) is its struct's
/// `$ref` beside the tag's properties. JSON Schema 2020-12 applies both, but
/// type generators read a `$ref` as the whole type; `allOf` says the same
/// thing in a way they follow.
fn split_ref(variant: &mut Value) {
    let Value::Object(map) = variant else { return };
    if map.len() < 2 {
        return;
    }
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let description = map.remove("description");
    let rest = Value::Object(std::mem::take(map));
    map.insert("allOf".into(), json!([{"$ref": reference}, rest]));
    if let Some(d) = description {
        map.insert("description".into(), d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_in_the_schema_is_one_the_gateway_parses_under_that_name() {
        for (name, _) in ACTIONS {
            let frame = json!({"action": name}).to_string();
            match parse_request(&frame) {
                Ok(request) => assert_eq!(request.action.name(), *name),
                Err((ProtocolError::UnknownAction(_), _)) => panic!("{name} is not parsed"),
                Err(_) => {}
            }
        }
    }

    #[test]
    fn every_action_the_gateway_parses_is_in_the_schema() {
        let source = include_str!("../protocol.rs");
        let parsed: Vec<&str> = source
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                let rest = l.strip_prefix('"')?;
                let (name, tail) = rest.split_once('"')?;
                tail.trim_start().starts_with("=> Action::").then_some(name)
            })
            .collect();
        let listed: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
        assert_eq!(parsed, listed);
    }
}
