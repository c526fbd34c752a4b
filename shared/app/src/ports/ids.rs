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
        // Monotonic within the process, so ids made in one millisecond
        // (an audit entry and the next) still sort in the order made.
        static GENERATOR: std::sync::Mutex<Option<ulid::Generator>> = std::sync::Mutex::new(None);
        let mut generator = GENERATOR.lock().unwrap_or_else(|e| e.into_inner());
        let id = generator
            .get_or_insert_with(ulid::Generator::new)
            .generate()
            .unwrap_or_else(|_| ulid::Ulid::new());
        format!("{prefix}_{id}")
    }
}
