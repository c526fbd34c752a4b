//! Text blocks: prepared answers per tenant and language, found by typing
//! `#` and a prefix of their name or text, with placeholders filled when
//! one is inserted.
//!
//! A placeholder is `{contact.name}`, `{contact.phone}`, `{operator.name}`
//! or `{info.<key>}` for an additional-information field.
//! Any other `{word.word}` is refused when the block is saved; braces around
//! anything else (spaces, punctuation) are plain text.

use super::fold::{fold, words};
use crate::{TenantId, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TextBlock {
    pub id: String,
    pub tenant: TenantId,
    /// A language tag; a block in `de` serves conversations in `de-AT` too.
    pub language: String,
    pub name: String,
    pub text: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placeholder {
    ContactName,
    ContactPhone,
    OperatorName,
    Info(String),
}

impl Placeholder {
    pub fn name(&self) -> String {
        match self {
            Placeholder::ContactName => "contact.name".into(),
            Placeholder::ContactPhone => "contact.phone".into(),
            Placeholder::OperatorName => "operator.name".into(),
            Placeholder::Info(key) => format!("info.{key}"),
        }
    }

    fn parse(inner: &str) -> Option<Placeholder> {
        Some(match inner {
            "contact.name" => Placeholder::ContactName,
            "contact.phone" => Placeholder::ContactPhone,
            "operator.name" => Placeholder::OperatorName,
            other => Placeholder::Info(other.strip_prefix("info.")?.to_string()),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown placeholder {{{0}}}")]
pub struct PlaceholderError(pub String);

/// The spans of `text` that look like placeholders, with what is inside.
fn spans(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(open) = text[from..].find('{').map(|i| from + i) {
            let Some(close) = text[open..].find('}').map(|i| open + i) else {
                from = text.len();
                return None;
            };
            let inner = &text[open + 1..close];
            let looks = inner.contains('.')
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_'));
            if looks {
                from = close + 1;
                return Some((open, close + 1, inner));
            }
            from = open + 1;
        }
        None
    })
}

/// The placeholders a text names, in order, or the first unknown one.
/// `info_keys` are the tenant's additional-information fields.
pub fn placeholders(
    text: &str,
    info_keys: &[String],
) -> Result<Vec<Placeholder>, PlaceholderError> {
    spans(text)
        .map(|(_, _, inner)| match Placeholder::parse(inner) {
            Some(Placeholder::Info(key)) if !info_keys.contains(&key) => {
                Err(PlaceholderError(inner.to_string()))
            }
            Some(p) => Ok(p),
            None => Err(PlaceholderError(inner.to_string())),
        })
        .collect()
}

/// A block's text with its placeholders filled. One that could not be
/// filled stays in the text as written and is listed, so the operator sees
/// it instead of a message with a hole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Filled {
    pub text: String,
    pub unfilled: Vec<String>,
}

pub fn fill(text: &str, value: impl Fn(&Placeholder) -> Option<String>) -> Filled {
    let mut out = String::with_capacity(text.len());
    let mut unfilled = Vec::new();
    let mut last = 0;
    for (start, end, inner) in spans(text) {
        out.push_str(&text[last..start]);
        match Placeholder::parse(inner)
            .and_then(|p| value(&p))
            .filter(|v| !v.trim().is_empty())
        {
            Some(v) => out.push_str(&v),
            None => {
                out.push_str(&text[start..end]);
                if !unfilled.iter().any(|u| u == inner) {
                    unfilled.push(inner.to_string());
                }
            }
        }
        last = end;
    }
    out.push_str(&text[last..]);
    Filled {
        text: out,
        unfilled,
    }
}

/// A block that cannot be saved, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct TextBlockError {
    pub field: &'static str,
    pub reason: String,
}

impl TextBlock {
    pub const MAX_ID: usize = 64;
    pub const MAX_NAME: usize = 80;
    pub const MAX_TEXT: usize = 4_000;
    pub const MAX_LANGUAGE: usize = 35;

    pub fn valid_id(id: &str) -> bool {
        !id.is_empty()
            && id.len() <= Self::MAX_ID
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    }

    /// Whether the block can be saved: its id, language, name and text, and
    /// every placeholder known (`info_keys`: the tenant's fields).
    pub fn validate(&self, info_keys: &[String]) -> Result<(), TextBlockError> {
        let fail = |field, reason: String| Err(TextBlockError { field, reason });
        if !Self::valid_id(&self.id) {
            return fail(
                "id",
                format!("must be 1 to {} of A-Z, a-z, 0-9, - and _", Self::MAX_ID),
            );
        }
        let language_ok = !self.language.is_empty()
            && self.language.len() <= Self::MAX_LANGUAGE
            && self
                .language
                .split('-')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
        if !language_ok {
            return fail(
                "language",
                "must be a language tag such as en or pt-BR".into(),
            );
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > Self::MAX_NAME {
            return fail(
                "name",
                format!("must be 1 to {} characters", Self::MAX_NAME),
            );
        }
        if self.text.trim().is_empty() || self.text.chars().count() > Self::MAX_TEXT {
            return fail(
                "text",
                format!("must be 1 to {} characters", Self::MAX_TEXT),
            );
        }
        placeholders(&self.text, info_keys).map_err(|e| TextBlockError {
            field: "text",
            reason: e.to_string(),
        })?;
        Ok(())
    }

    /// Whether the block serves a conversation in `language`: the same tag,
    /// or the block's is the conversation's primary language (`de` for
    /// `de-AT`). Case does not matter.
    pub fn serves(&self, language: &str) -> bool {
        let mine = self.language.to_ascii_lowercase();
        let theirs = language.to_ascii_lowercase();
        mine == theirs || theirs.split('-').next() == Some(mine.as_str())
    }
}

/// A tenant's blocks folded once for searching, so each keystroke only
/// compares words.
#[derive(Debug, Clone, Default)]
pub struct TextBlockIndex {
    entries: Vec<Indexed>,
}

#[derive(Debug, Clone)]
struct Indexed {
    block: TextBlock,
    name: String,
    name_words: Vec<String>,
    text_words: Vec<String>,
}

impl TextBlockIndex {
    pub fn new(blocks: Vec<TextBlock>) -> Self {
        let mut entries: Vec<Indexed> = blocks
            .into_iter()
            .map(|block| Indexed {
                name: fold(block.name.trim()),
                name_words: words(&block.name),
                text_words: words(&block.text),
                block,
            })
            .collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name).then(a.block.id.cmp(&b.block.id)));
        TextBlockIndex { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` blocks for `language` matching `query`, best first.
    /// Every word of the query must begin a word of the name or the text;
    /// a match in the name counts more, the whole name beginning with the
    /// query most. An empty query lists blocks by name.
    pub fn search(&self, query: &str, language: Option<&str>, limit: usize) -> Vec<&TextBlock> {
        let query_words = words(query);
        let whole = fold(query.trim());
        let mut scored: Vec<(u32, usize)> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if language.is_some_and(|l| !e.block.serves(l)) {
                continue;
            }
            let mut score = 0;
            let mut all = true;
            for q in &query_words {
                if e.name_words.iter().any(|w| w.starts_with(q.as_str())) {
                    score += 3;
                } else if e.text_words.iter().any(|w| w.starts_with(q.as_str())) {
                    score += 1;
                } else {
                    all = false;
                    break;
                }
            }
            if !all {
                continue;
            }
            if !whole.is_empty() && e.name.starts_with(&whole) {
                score += 10;
            }
            scored.push((score, i));
        }
        // Stable: equal scores keep the index's order, by name.
        scored.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
        scored
            .into_iter()
            .take(limit)
            .map(|(_, i)| &self.entries[i].block)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(id: &str, language: &str, name: &str, text: &str) -> TextBlock {
        TextBlock {
            id: id.into(),
            tenant: TenantId::parse("acme").unwrap(),
            language: language.into(),
            name: name.into(),
            text: text.into(),
            updated_at: Timestamp(0),
        }
    }

    #[test]
    fn placeholders_are_known_or_refused() {
        let keys = vec!["plan".to_string()];
        assert_eq!(
            placeholders("Hi {contact.name}, your {info.plan} plan", &keys),
            Ok(vec![
                Placeholder::ContactName,
                Placeholder::Info("plan".into())
            ])
        );
        assert_eq!(
            placeholders("{contact.age}", &keys),
            Err(PlaceholderError("contact.age".into()))
        );
        assert!(placeholders("{info.nope}", &keys).is_err());
        // Braces around anything else are text.
        assert_eq!(placeholders("{ ok } {a b} {}", &keys), Ok(vec![]));
    }

    #[test]
    fn filling_flags_what_it_cannot_fill() {
        let filled = fill(
            "Hi {contact.name}, I am {operator.name}. {contact.name}!",
            |p| (*p == Placeholder::OperatorName).then(|| "Ann".to_string()),
        );
        assert_eq!(filled.text, "Hi {contact.name}, I am Ann. {contact.name}!");
        assert_eq!(filled.unfilled, vec!["contact.name".to_string()]);
    }

    #[test]
    fn search_is_accent_and_case_insensitive_and_ranked() {
        let index = TextBlockIndex::new(vec![
            block("a", "de", "Rückgabe", "So geben Sie zurück"),
            block("b", "de", "Versand", "Die Rückgabe ist kostenlos"),
            block("c", "en", "Returns", "Send it back"),
            block("d", "de", "Öffnungszeiten", "Mo bis Fr"),
        ]);
        let ids = |q: &str, l: Option<&str>| -> Vec<String> {
            index
                .search(q, l, 10)
                .iter()
                .map(|b| b.id.clone())
                .collect()
        };
        assert_eq!(ids("ruck", Some("de-AT")), vec!["a", "b"]);
        assert_eq!(ids("OFFN", Some("de")), vec!["d"]);
        assert_eq!(ids("ret", Some("en")), vec!["c"]);
        assert_eq!(ids("", Some("de")), vec!["d", "a", "b"]);
        assert!(ids("zzz", None).is_empty());
    }
}
