package main

/*
#include <stdlib.h>
static int answer(void) { return abs(-42); }
*/
import "C"

import "fmt"

func main() {
	fmt.Printf("hello from go-cgo: C says %d\n", int(C.answer()))
}
