package main

import (
	"fmt"

	"example.com/words"
)

func main() {
	fmt.Println("greeter:", words.Hello)
}
