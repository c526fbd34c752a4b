//! SLA rules: which waiting conversations are served first, and by when an
//! operator should have answered.
//!
//! A tenant keeps an ordered list of rules. A conversation entering a queue
//! gets the first rule whose every condition holds; its priority and, if the
//! rule sets one, the deadline for the first response decide its place. One
//! without a matching rule is `normal` with no deadline. Rules apply to
//! conversations as they enter a queue: changing them does not reorder what
//! already waits.

use crate::entry::{Channel, EntryType};
use crate::ids::GroupId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// How urgent a rule makes a conversation. Queues serve `urgent` first.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Urgent,
    High,
    #[default]
    Normal,
    Low,
}

impl Priority {
    /// 0 for `urgent` up to 3 for `low`: the leading part of the queue key.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

/// What a rule looks at. An absent condition holds for every conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlaCondition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_type: Option<EntryType>,
    /// A language tag; `de` also matches `de-AT`. Case does not matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// A tag the contact carries. Case does not matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_tag: Option<String>,
}

impl SlaCondition {
    fn is_catch_all(&self) -> bool {
        *self == SlaCondition::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlaRule {
    pub name: String,
    /// Absent: every conversation (a catch-all, which must come last).
    #[serde(default, skip_serializing_if = "SlaCondition::is_catch_all")]
    pub when: SlaCondition,
    #[serde(default)]
    pub priority: Priority,
    /// The target for the first response, from entering the queue; None:
    /// the rule only sets a priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_seconds: Option<u32>,
}

/// What rules are matched against: the conversation as it enters a queue.
#[derive(Debug, Clone, Copy)]
pub struct SlaSubject<'a> {
    pub channel: Channel,
    pub entry_type: EntryType,
    pub language: &'a str,
    pub group: &'a GroupId,
    /// The contact's tags (none yet: contacts carry no tags before the
    /// operator workspace adds them).
    pub contact_tags: &'a [String],
}

impl SlaRule {
    pub fn matches(&self, s: &SlaSubject<'_>) -> bool {
        let w = &self.when;
        w.channel.is_none_or(|c| c == s.channel)
            && w.entry_type.is_none_or(|e| e == s.entry_type)
            && w.group.as_ref().is_none_or(|g| g == s.group)
            && w.language
                .as_deref()
                .is_none_or(|l| language_matches(l, s.language))
            && w.contact_tag
                .as_deref()
                .is_none_or(|t| s.contact_tags.iter().any(|c| c.eq_ignore_ascii_case(t)))
    }
}

/// `de` matches `de`, `DE` and `de-AT`, but not `den`.
fn language_matches(rule: &str, language: &str) -> bool {
    let (rule, language) = (rule.to_ascii_lowercase(), language.to_ascii_lowercase());
    language == rule
        || language
            .strip_prefix(&rule)
            .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('_'))
}

/// What a conversation in a queue was given: its priority and deadline, and
/// the rule that gave them (for operators to see why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Sla {
    pub priority: Priority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Timestamp>,
    pub rule: String,
}

/// The SLA of a conversation that entered its queue at `enqueued_at`: from
/// the first matching rule, or None (normal, no deadline). Deterministic, so
/// evaluating it again gives the same answer.
pub fn evaluate(
    rules: &[SlaRule],
    subject: &SlaSubject<'_>,
    enqueued_at: Timestamp,
) -> Option<Sla> {
    rules.iter().find(|r| r.matches(subject)).map(|r| Sla {
        priority: r.priority,
        deadline: r
            .first_response_seconds
            .map(|s| enqueued_at.plus_seconds(u64::from(s))),
        rule: r.name.clone(),
    })
}

/// Why a list of rules is refused; `field` names the place, as in
/// `rules[2].firstResponseSeconds`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct SlaError {
    pub field: String,
    pub reason: String,
}

pub const MAX_RULES: usize = 50;
pub const MAX_NAME: usize = 100;
pub const MAX_TAG: usize = 50;
/// From ten seconds to a week.
pub const FIRST_RESPONSE_RANGE: std::ops::RangeInclusive<u32> = 10..=7 * 24 * 3600;

pub fn validate(rules: &[SlaRule]) -> Result<(), SlaError> {
    let fail = |field: String, reason: &str| {
        Err(SlaError {
            field,
            reason: reason.into(),
        })
    };
    if rules.len() > MAX_RULES {
        return fail("rules".into(), &format!("at most {MAX_RULES} rules"));
    }
    for (i, rule) in rules.iter().enumerate() {
        let at = |f: &str| format!("rules[{i}].{f}");
        let name = rule.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return fail(at("name"), &format!("must be 1 to {MAX_NAME} characters"));
        }
        if rules[..i].iter().any(|r| r.name.trim() == name) {
            return fail(at("name"), "is used by an earlier rule");
        }
        if let Some(earlier) = rules[..i].iter().position(|r| r.when.is_catch_all()) {
            return fail(
                at("when"),
                &format!("can never apply: rules[{earlier}] before it matches every conversation"),
            );
        }
        if let Some(s) = rule.first_response_seconds {
            if !FIRST_RESPONSE_RANGE.contains(&s) {
                return fail(
                    at("firstResponseSeconds"),
                    &format!(
                        "must be from {} to {}",
                        FIRST_RESPONSE_RANGE.start(),
                        FIRST_RESPONSE_RANGE.end()
                    ),
                );
            }
        }
        if let Some(l) = &rule.when.language {
            let ok = (1..=35).contains(&l.len())
                && l.split(['-', '_'])
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
            if !ok {
                return fail(
                    at("when.language"),
                    "is not a language tag such as de or pt-BR",
                );
            }
        }
        if let Some(t) = &rule.when.contact_tag {
            if t.trim().is_empty() || t.chars().count() > MAX_TAG {
                return fail(
                    at("when.contactTag"),
                    &format!("must be 1 to {MAX_TAG} characters"),
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, when: SlaCondition, priority: Priority, secs: Option<u32>) -> SlaRule {
        SlaRule {
            name: name.into(),
            when,
            priority,
            first_response_seconds: secs,
        }
    }

    fn subject<'a>(language: &'a str, group: &'a GroupId, tags: &'a [String]) -> SlaSubject<'a> {
        SlaSubject {
            channel: Channel::WhatsApp,
            entry_type: EntryType::Chat,
            language,
            group,
            contact_tags: tags,
        }
    }

    #[test]
    fn the_first_matching_rule_decides() {
        let vip = SlaCondition {
            contact_tag: Some("VIP".into()),
            ..Default::default()
        };
        let whatsapp = SlaCondition {
            channel: Some(Channel::WhatsApp),
            ..Default::default()
        };
        let rules = vec![
            rule("vip", vip, Priority::Urgent, Some(60)),
            rule("wa", whatsapp, Priority::High, Some(300)),
            rule("rest", SlaCondition::default(), Priority::Low, None),
        ];
        let g = GroupId::default_group();
        let tags = vec!["vip".to_string()];
        let sla = evaluate(&rules, &subject("en", &g, &tags), Timestamp(1_000)).unwrap();
        assert_eq!(
            (sla.priority, sla.deadline, sla.rule.as_str()),
            (Priority::Urgent, Some(Timestamp(61_000)), "vip")
        );
        let sla = evaluate(&rules, &subject("en", &g, &[]), Timestamp(1_000)).unwrap();
        assert_eq!((sla.priority, sla.rule.as_str()), (Priority::High, "wa"));
        assert_eq!(evaluate(&[], &subject("en", &g, &[]), Timestamp(0)), None);
    }

    #[test]
    fn conditions_all_hold_or_the_rule_does_not_apply() {
        let g = GroupId::parse("sales").unwrap();
        let other = GroupId::default_group();
        let r = rule(
            "de sales",
            SlaCondition {
                language: Some("de".into()),
                group: Some(g.clone()),
                entry_type: Some(EntryType::Chat),
                ..Default::default()
            },
            Priority::High,
            None,
        );
        assert!(r.matches(&subject("de-AT", &g, &[])));
        assert!(r.matches(&subject("DE", &g, &[])));
        assert!(!r.matches(&subject("den", &g, &[])));
        assert!(!r.matches(&subject("de", &other, &[])));
        let video = SlaSubject {
            entry_type: EntryType::Video,
            ..subject("de", &g, &[])
        };
        assert!(!r.matches(&video));
    }

    #[test]
    fn invalid_rules_name_the_field() {
        let bad = |rules: Vec<SlaRule>| validate(&rules).unwrap_err().field;
        let any = SlaCondition::default;
        assert_eq!(
            bad(vec![rule("a", any(), Priority::High, Some(5))]),
            "rules[0].firstResponseSeconds"
        );
        assert_eq!(
            bad(vec![
                rule("a", any(), Priority::High, None),
                rule("a", any(), Priority::Low, None)
            ]),
            "rules[1].name"
        );
        assert_eq!(
            bad(vec![
                rule("all", any(), Priority::High, None),
                rule("later", any(), Priority::Low, None)
            ]),
            "rules[1].when"
        );
        let lang = SlaCondition {
            language: Some("de AT".into()),
            ..Default::default()
        };
        assert_eq!(
            bad(vec![rule("l", lang, Priority::High, None)]),
            "rules[0].when.language"
        );
        assert_eq!(
            bad(vec![rule(" ", any(), Priority::High, None)]),
            "rules[0].name"
        );
        assert!(validate(&[rule("ok", any(), Priority::Urgent, Some(120))]).is_ok());
    }
}
