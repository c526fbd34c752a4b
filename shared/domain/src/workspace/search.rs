//! Finding a client's conversations by what they told us: a prefix of any
//! word of their name, case and accents ignored, or the first digits of
//! their phone number, or the start of their e-mail address. A conversation is indexed under tokens (`n:{word}`,
//! `p:{digits}`) when it starts or reopens; a query names one token prefix
//! to read and checks the rest against the entry.

use super::fold::words;
use crate::{Conversation, EntryInfo};

/// The least a name query may be, so a prefix does not match half the tenant.
pub const MIN_NAME: usize = 2;
/// The least a phone query may be.
pub const MIN_DIGITS: usize = 3;
pub const MAX_QUERY: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchQuery {
    /// Folded words; each must begin a word of the name.
    Name(Vec<String>),
    /// Digits the phone number (digits only) begins with.
    Phone(String),
    /// What the e-mail address begins with (lowercase); the query has an `@`.
    Email(String),
}

fn digits_of(text: &str) -> Option<String> {
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '/' | '.'));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (phone_like && !digits.is_empty()).then_some(digits)
}

impl SearchQuery {
    /// What an operator typed, or why it cannot be searched.
    pub fn parse(raw: &str) -> Result<SearchQuery, String> {
        let raw = raw.trim();
        if raw.chars().count() > MAX_QUERY {
            return Err(format!("at most {MAX_QUERY} characters"));
        }
        if let Some(digits) = digits_of(raw) {
            if digits.len() < MIN_DIGITS {
                return Err(format!("a phone number needs at least {MIN_DIGITS} digits"));
            }
            return Ok(SearchQuery::Phone(digits));
        }
        if raw.contains('@') {
            return Ok(SearchQuery::Email(raw.to_lowercase()));
        }
        let words = words(raw);
        if words.first().is_none_or(|w| w.chars().count() < MIN_NAME) {
            return Err(format!("a name needs at least {MIN_NAME} letters"));
        }
        Ok(SearchQuery::Name(words))
    }

    /// The token prefix a store reads.
    pub fn prefix(&self) -> String {
        match self {
            SearchQuery::Name(words) => format!("n:{}", words[0]),
            SearchQuery::Phone(digits) => format!("p:{digits}"),
            SearchQuery::Email(prefix) => format!("e:{}", email_token(prefix)),
        }
    }

    /// What a store read under [`SearchQuery::prefix`], narrowed to what
    /// answers the whole query, newest activity first, at most `limit`.
    pub fn rank(&self, mut found: Vec<Conversation>, limit: usize) -> Vec<Conversation> {
        found.retain(|c| self.matches(&c.entry));
        found.sort_by(|a, b| {
            b.last_activity_at
                .cmp(&a.last_activity_at)
                .then(b.id.as_str().cmp(a.id.as_str()))
        });
        found.truncate(limit);
        found
    }

    /// Whether the entry answers the whole query (the store matched the
    /// first word only).
    pub fn matches(&self, entry: &EntryInfo) -> bool {
        match self {
            SearchQuery::Name(query) => {
                let name = entry.name.as_deref().map(words).unwrap_or_default();
                query
                    .iter()
                    .all(|q| name.iter().any(|w| w.starts_with(q.as_str())))
            }
            SearchQuery::Phone(digits) => entry
                .phone
                .as_deref()
                .and_then(digits_of)
                .is_some_and(|p| p.starts_with(digits.as_str())),
            SearchQuery::Email(prefix) => entry
                .email
                .as_deref()
                .is_some_and(|e| e.trim().to_lowercase().starts_with(prefix.as_str())),
        }
    }
}

/// The tokens a conversation is found by: each word of the name (at most
/// eight), the phone number's digits and the e-mail address.
pub fn tokens(entry: &EntryInfo) -> Vec<String> {
    identity_tokens(
        entry.name.as_deref(),
        entry.phone.as_deref(),
        entry.email.as_deref(),
    )
}

/// [`tokens`] of a name, phone and e-mail.
pub fn identity_tokens(
    name: Option<&str>,
    phone: Option<&str>,
    email: Option<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = name
        .map(words)
        .unwrap_or_default()
        .into_iter()
        .take(8)
        .map(|w| format!("n:{}", w.chars().take(40).collect::<String>()))
        .collect();
    if let Some(digits) = phone.and_then(digits_of) {
        out.push(format!("p:{}", &digits[..digits.len().min(20)]));
    }
    if let Some(email) = email.filter(|e| !e.trim().is_empty()) {
        out.push(format!("e:{}", email_token(&email.trim().to_lowercase())));
    }
    out.sort();
    out.dedup();
    out
}

/// An address as a token: at most 60 characters, so a sort key stays short.
fn email_token(email: &str) -> String {
    email.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntryType;

    fn entry(name: &str, phone: Option<&str>) -> EntryInfo {
        EntryInfo {
            entry_type: EntryType::Chat,
            language: "de".into(),
            browser: String::new(),
            os: String::new(),
            widget: String::new(),
            page_url: String::new(),
            name: Some(name.into()),
            phone: phone.map(str::to_string),
            email: None,
        }
    }

    #[test]
    fn names_and_phones_are_tokens() {
        let e = entry("Zoë Müller-Lüdenscheidt", Some("+49 170 1234567"));
        assert_eq!(
            tokens(&e),
            vec!["n:ludenscheidt", "n:muller", "n:zoe", "p:491701234567"]
        );
    }

    #[test]
    fn queries_match_prefixes_of_every_word() {
        let e = entry("Zoë Müller", Some("+49 170 1234567"));
        let q = SearchQuery::parse("MUL zo").unwrap();
        assert_eq!(q.prefix(), "n:mul");
        assert!(q.matches(&e));
        assert!(!SearchQuery::parse("mul xa").unwrap().matches(&e));
        let p = SearchQuery::parse("+49 170").unwrap();
        assert_eq!(p, SearchQuery::Phone("49170".into()));
        assert!(p.matches(&e));
        assert!(SearchQuery::parse("z").is_err());
        assert!(SearchQuery::parse("12").is_err());
    }

    #[test]
    fn e_mail_addresses_are_found_by_their_start() {
        let mut e = entry("Grace", None);
        e.email = Some(" Grace.Hopper@Example.com".into());
        assert!(tokens(&e).contains(&"e:grace.hopper@example.com".to_string()));
        let q = SearchQuery::parse("grace.hopper@ex").unwrap();
        assert_eq!(q.prefix(), "e:grace.hopper@ex");
        assert!(q.matches(&e));
        assert!(!SearchQuery::parse("ada@").unwrap().matches(&e));
    }
}
