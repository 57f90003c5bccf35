package main

import "os"

func main() { os.ReadFile(os.Args[2]) }
