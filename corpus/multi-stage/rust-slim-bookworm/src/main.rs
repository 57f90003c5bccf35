use std::fs;

fn main() {
    let motd = fs::read_to_string("config/motd.txt").unwrap_or_else(|_| "no motd".into());
    println!("hello from rust-cli: {}", motd.trim());
}
