package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	q, err := os.ReadFile("/usr/share/motd/quote.txt")
	if err != nil {
		fmt.Println("no quote:", err)
		os.Exit(1)
	}
	fmt.Printf("hello from entrypoint-script-tool: %s (started by %s)\n", strings.TrimSpace(string(q)), os.Getenv("MOTD_STARTER"))
}
