package main

import (
	"fmt"

	"example.com/tools"
)

func main() {
	fmt.Println(tools.Name, "up")
}
