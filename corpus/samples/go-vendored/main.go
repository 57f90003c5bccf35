package main

import (
	"fmt"

	"example.com/verse"
)

func main() {
	fmt.Println("poet:", verse.Line())
}
