pub fn tag() -> &'static str { env!("LOG_TOOLS_PROFILE") }
