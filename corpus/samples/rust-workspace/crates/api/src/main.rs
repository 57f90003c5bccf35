fn main() {
    let text = "aaabccdddd";
    println!("api-server: {} words, rle {}", wordy_core::count("one two three"), rle::encode(text));
}
