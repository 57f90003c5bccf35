package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"text/template"
)

func main() {
	tmpl := template.Must(template.ParseFiles("templates/hello.tmpl"))
	var b strings.Builder
	if err := tmpl.Execute(&b, map[string]string{"Name": "go-static", "Go": runtime.Version()}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(b.String())
}
