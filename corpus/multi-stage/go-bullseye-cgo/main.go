package main

/*
#cgo LDFLAGS: -lcrypto
#include <openssl/crypto.h>
*/
import "C"

import "fmt"

func main() {
	fmt.Printf("%s\n", C.GoString(C.OpenSSL_version(0)))
}
