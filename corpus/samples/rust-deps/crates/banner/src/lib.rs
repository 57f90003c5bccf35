//! Frames a line of text in a box of `=` signs.

pub fn frame(text: &str) -> String {
    let rule = "=".repeat(text.chars().count() + 4);
    format!("{rule}\n| {text} |\n{rule}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn frames() {
        assert_eq!(super::frame("a"), "=====\n| a |\n=====");
    }
}
