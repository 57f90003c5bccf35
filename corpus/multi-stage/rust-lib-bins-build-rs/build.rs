fn main() {
    println!("cargo:rustc-env=LOG_TOOLS_PROFILE={}", std::env::var("PROFILE").unwrap());
}
