package main

import (
	"fmt"

	"example.com/words"
)

func main() {
	fmt.Println(words.Hello)
}
