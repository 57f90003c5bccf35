"""BuildKit's build checks, read statically: the `# check=` settings (config), the rules and what
overlaps them in hadolint (rules), and the findings `dockwright lint` reports for the rules no
codemod fixes (findings)."""
