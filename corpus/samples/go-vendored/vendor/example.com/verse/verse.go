package verse

// Line is a line of verse.
func Line() string { return "an old silent pond, vendored" }
