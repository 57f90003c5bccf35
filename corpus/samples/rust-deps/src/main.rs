fn main() {
    let release = env!("CARGO_PKG_VERSION");
    println!("{}", banner::frame(&format!("release-notes {release}: ready")));
}
