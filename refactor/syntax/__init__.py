"""Dockerfile syntax: the lossless tree (nodes), the lexer and parser that build it exactly as
BuildKit reads a file, BuildKit's own semantics (buildkit), edits on the tree (edit), source
decoding, pragmas, and the views the CLI prints. Imports nothing else of dockwright."""
