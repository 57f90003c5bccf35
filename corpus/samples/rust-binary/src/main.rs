fn main() {
    let text = "the quick brown fox jumps over the lazy dog";
    let words = text.split_whitespace().count();
    println!("wordcount: {} words", words);
}
