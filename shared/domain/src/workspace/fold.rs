//! Case- and accent-insensitive matching: "Crème" and "creme" fold to the
//! same text, as do "STRASSE" and "straße".

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The text lowercased (full case folding for ß), decomposed, and without
/// its combining marks.
pub fn fold(text: &str) -> String {
    // Most characters are ASCII and need no decomposition; only the others
    // go through it, one at a time, which keeps folding a tenant's 5,000
    // blocks well inside a first search's budget.
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
            continue;
        }
        decompose_canonical(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            for lower in d.to_lowercase() {
                match lower {
                    'ß' => folded.push_str("ss"),
                    other => folded.push(other),
                }
            }
        });
    }
    folded
}

/// The folded words of a text: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("Crème Brûlée"), "creme brulee");
        assert_eq!(fold("ÅNGSTRÖM"), "angstrom");
        assert_eq!(fold("Straße"), fold("STRASSE"));
        assert_eq!(words("Hello, wörld! 42x"), vec!["hello", "world", "42x"]);
    }
}
