fn main() { println!("logcat {}", log_tools::tag()); }
