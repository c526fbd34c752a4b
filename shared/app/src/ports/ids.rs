//! New ids, injected so tests control them.

pub trait IdGen: Send + Sync {
    /// A new unique id with a readable prefix, e.g. `conv_01J...`.
    fn new_id(&self, prefix: &str) -> String;
}

/// ULIDs: unique across Lambda instances without coordination, and sortable by time.
#[derive(Debug, Default)]
pub struct UlidIds;

impl IdGen for UlidIds {
    fn new_id(&self, prefix: &str) -> String {
        format!("{prefix}_{}", ulid::Ulid::new())
    }
}
