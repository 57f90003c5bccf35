import http.server
import socketserver

import requests  # noqa: F401  (a real dependency, as in most services)


class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello from dockwright's example\n")


with socketserver.TCPServer(("0.0.0.0", 8000), Hello) as httpd:
    httpd.serve_forever()
