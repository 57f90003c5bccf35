import functools
import http.server

handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="/srv/www")
http.server.ThreadingHTTPServer(("0.0.0.0", 80), handler).serve_forever()
