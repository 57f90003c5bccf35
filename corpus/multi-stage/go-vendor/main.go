package main

import (
	"fmt"

	"example.com/quote"
)

func main() {
	fmt.Println(quote.Line())
}
