package words

// Hello is the greeting.
const Hello = "hello from a replaced module"
