fn main() { println!("log-tools {}", log_tools::tag()); }
