//! What a visitor may receive of an event: operators-only items (notes)
//! taken out of every list and view it carries.

use super::Event;
use std::borrow::Cow;
use switchboard_domain::{Message, Visibility};

fn operators_only(m: &Message) -> bool {
    m.visibility() == Visibility::Operators
}

fn strip(messages: &mut Vec<Message>) {
    messages.retain(|m| !operators_only(m));
}

impl Event {
    /// The event as a visitor may receive it: operators-only items taken out
    /// of every list and view, or None when the event is itself one. The
    /// notifier applies this to every event bound for a visitor's connection.
    pub(crate) fn for_visitor(&self) -> Option<Cow<'_, Event>> {
        let listed = |messages: &[Message]| messages.iter().any(operators_only);
        let needs_stripping = match self {
            Event::Message { message } => {
                return (!operators_only(message)).then_some(Cow::Borrowed(self))
            }
            Event::History { messages, .. } => listed(messages),
            Event::WelcomeVisitor {
                conversation: Some(view),
                ..
            }
            | Event::ConversationStarted { view, .. }
            | Event::Preview { view }
            | Event::Accepted { view, .. } => listed(&view.messages),
            Event::WelcomeOperator { conversations, .. } => {
                conversations.iter().any(|v| listed(&v.messages))
            }
            _ => false,
        };
        if !needs_stripping {
            return Some(Cow::Borrowed(self));
        }
        let mut event = self.clone();
        match &mut event {
            Event::History { messages, .. } => strip(messages),
            Event::WelcomeVisitor {
                conversation: Some(view),
                ..
            }
            | Event::ConversationStarted { view, .. }
            | Event::Preview { view }
            | Event::Accepted { view, .. } => strip(&mut view.messages),
            Event::WelcomeOperator { conversations, .. } => conversations
                .iter_mut()
                .for_each(|v| strip(&mut v.messages)),
            _ => {}
        }
        Some(Cow::Owned(event))
    }
}
