import json
from http.server import BaseHTTPRequestHandler, HTTPServer

ITEMS = {"widgets": 12, "gadgets": 3}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/health":
            body = b"healthy"
        elif self.path == "/items":
            body = json.dumps(ITEMS).encode()
        else:
            body = b"inventory api says hello"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    print("inventory api listening on :8000", flush=True)
    HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
