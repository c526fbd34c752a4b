//! The protocol as an AsyncAPI 3 document (`docs/asyncapi.json`), built from
//! the same JSON Schema as `schema.rs`: one message per action and per
//! event, on the one channel a socket is. `docs/protocol.md` explains them;
//! a test keeps the two naming the same actions and events.

use super::schema::{actions_schema, events_schema};
use serde_json::{json, Map, Value};

/// Points `#/$defs/X` at `#/components/schemas/X`, where AsyncAPI keeps them.
fn rehome(value: Value) -> Value {
    let text = value
        .to_string()
        .replace("\"#/$defs/", "\"#/components/schemas/");
    serde_json::from_str(&text).unwrap_or(value)
}

fn take_defs(doc: &mut Value, into: &mut Map<String, Value>) {
    if let Some(Value::Object(defs)) = doc.as_object_mut().and_then(|d| d.remove("$defs")) {
        for (name, schema) in defs {
            into.entry(name).or_insert_with(|| rehome(schema));
        }
    }
}

/// The constant a frame's `action` or `event` has in one variant's schema.
fn name_of(variant: &Value, key: &str) -> Option<String> {
    let direct = variant.pointer(&format!("/properties/{key}/const"));
    let in_all_of = variant
        .get("allOf")
        .and_then(Value::as_array)
        .and_then(|parts| {
            parts
                .iter()
                .find_map(|p| p.pointer(&format!("/properties/{key}/const")))
        });
    direct.or(in_all_of)?.as_str().map(str::to_string)
}

/// Message keys must be unique; two `welcome`s (visitor, operator) get a suffix.
fn unique(name: &str, messages: &Map<String, Value>) -> String {
    let key = name.replace('.', "_");
    if !messages.contains_key(&key) {
        return key;
    }
    (2..)
        .map(|n| format!("{key}_{n}"))
        .find(|k| !messages.contains_key(k))
        .unwrap_or(key)
}

fn messages_of(doc: &Value, key: &str, messages: &mut Map<String, Value>) -> Vec<String> {
    let mut keys = Vec::new();
    for variant in doc
        .get("oneOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = name_of(variant, key) else {
            continue;
        };
        let id = unique(&name, messages);
        let mut message = json!({"name": name, "title": format!("{key} {name}"),
            "contentType": "application/json", "payload": rehome(variant.clone())});
        if let Some(summary) = variant.get("description") {
            message["summary"] = summary.clone();
        }
        messages.insert(id.clone(), message);
        keys.push(id);
    }
    keys
}

pub fn asyncapi_document() -> Value {
    let mut actions = actions_schema();
    let mut events = events_schema();
    let mut schemas = Map::new();
    take_defs(&mut actions, &mut schemas);
    take_defs(&mut events, &mut schemas);
    let mut messages = Map::new();
    let sent = messages_of(&actions, "action", &mut messages);
    let received = messages_of(&events, "event", &mut messages);
    let refs = |keys: &[String], prefix: &str| -> Vec<Value> {
        keys.iter()
            .map(|k| json!({"$ref": format!("{prefix}{k}")}))
            .collect()
    };
    let mut channel_messages = Map::new();
    for k in sent.iter().chain(&received) {
        channel_messages.insert(
            k.clone(),
            json!({"$ref": format!("#/components/messages/{k}")}),
        );
    }
    json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": "Switchboard WebSocket protocol",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "What the chat widget and the operator console send and receive over one WebSocket. docs/protocol.md explains each action and event; this document is generated from the Rust types (UPDATE_SCHEMA=1 scripts/test -p switchboard-tests --test protocol_schema).",
            "license": {"name": "Apache-2.0"}
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {"host": "127.0.0.1:8787", "pathname": "/local", "protocol": "ws",
                "description": "The local stack (cargo run -p switchboard-local)."},
            "aws": {"host": "{api}.execute-api.{region}.amazonaws.com", "pathname": "/{stage}", "protocol": "wss",
                "description": "A deployment (API Gateway WebSocket API).",
                "variables": {"api": {"description": "The WebSocket API's id"},
                    "region": {"default": "us-east-1"}, "stage": {"default": "prod"}}}
        },
        "channels": {
            "socket": {
                "address": "/",
                "title": "A connection",
                "description": "Visitors connect with ?widgetId= (or ?visitorToken=), operators with ?token=; then send hello.",
                "messages": channel_messages
            }
        },
        "operations": {
            "receiveAction": {
                "action": "receive",
                "channel": {"$ref": "#/channels/socket"},
                "summary": "A client's frame: an action.",
                "messages": refs(&sent, "#/channels/socket/messages/")
            },
            "sendEvent": {
                "action": "send",
                "channel": {"$ref": "#/channels/socket"},
                "summary": "An event pushed to a client, or the answer to its action.",
                "messages": refs(&received, "#/channels/socket/messages/")
            }
        },
        "components": {"schemas": schemas, "messages": messages}
    })
}
