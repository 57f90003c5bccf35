include!(concat!(env!("OUT_DIR"), "/schema.rs"));

fn main() {
    println!("{SCHEMA}");
}
