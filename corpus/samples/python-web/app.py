"""Tiny web app: turns a hostname into its punycode form (idna)."""
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import idna


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"python-web up: bücher.example -> {idna.encode('bücher.example').decode()}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
