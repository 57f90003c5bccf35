package main

import (
	"fmt"
	"strings"
)

func main() {
	lines := []string{"an old silent pond", "a frog jumps into the pond", "splash! silence again"}
	fmt.Println("haiku:", strings.Join(lines, " / "))
}
