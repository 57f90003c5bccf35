package main

/*
#cgo LDFLAGS: -lsqlite3
#include <sqlite3.h>
*/
import "C"

import "fmt"

func main() {
	fmt.Printf("sqlite %s\n", C.GoString(C.sqlite3_libversion()))
}
