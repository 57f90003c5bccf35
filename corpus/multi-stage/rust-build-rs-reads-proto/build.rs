// embeds the schema next to the binary's sources
fn main() {
    let schema = std::fs::read_to_string("proto/schema.txt").unwrap();
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{out}/schema.rs"), format!("pub const SCHEMA: &str = {schema:?};")).unwrap();
    println!("cargo:rerun-if-changed=proto/schema.txt");
}
