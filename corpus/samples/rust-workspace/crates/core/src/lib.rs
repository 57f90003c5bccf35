/// Counts the words of a text.
pub fn count(text: &str) -> usize {
    text.split_whitespace().count()
}
