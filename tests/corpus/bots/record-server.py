import http.server, json, sys
out = open(sys.argv[2], 'a')
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        hdrs = {}
        for k, v in self.headers.items():
            hdrs.setdefault(k.lower(), []).append(v)
        out.write(json.dumps({"client": self.path.strip('/').split('?')[0], "headers": hdrs}) + "\n"); out.flush()
        self.send_response(200); self.send_header('content-type', 'text/html'); self.end_headers(); self.wfile.write(b'<html><body>ok</body></html>')
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
