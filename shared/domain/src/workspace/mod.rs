//! What an operator works with beyond a single chat: text blocks found by
//! typing `#`, and the additional-information fields admins define and
//! operators fill per contact, the pages a visitor has browsed, and
//! transcripts.

pub mod fold;
pub mod info;
pub mod lists;
pub mod pages;
pub mod reports;
pub mod search;
pub mod text_blocks;
pub mod transcript;
pub mod unite;

pub use fold::{fold, words};
pub use info::{InfoError, InfoField, InfoKind, InfoValues};
pub use lists::{ListFilter, ListOrder, Progress, Scope};
pub use pages::{PageView, PageViewError};
pub use search::SearchQuery;
pub use text_blocks::{
    Filled, Placeholder, PlaceholderError, TextBlock, TextBlockError, TextBlockIndex,
};
pub use unite::{ClientCard, Conflict, Merge, MergeError, Side, Suggestion};
