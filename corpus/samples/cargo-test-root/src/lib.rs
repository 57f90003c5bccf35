/// Splits on whitespace and keeps punctuation as its own token.
pub fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in s.split_whitespace() {
        let (head, tail): (String, String) = word.chars().partition(|c| c.is_alphanumeric());
        if !head.is_empty() {
            out.push(head);
        }
        if !tail.is_empty() {
            out.push(tail);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_punctuation() {
        assert_eq!(tokenize("hi, there"), vec!["hi", ",", "there"]);
    }
}
