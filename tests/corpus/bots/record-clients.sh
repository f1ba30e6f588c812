#!/usr/bin/env bash
# Records the headers that real HTTP clients on this machine send, as
# clients.jsonl: each line {"client": NAME, "headers": {lower-case name: [values]}}.
# The clients are the ones installed (curl, wget, python3 urllib and
# requests, Node.js fetch and http, Go net/http, headless Chromium), first
# as themselves, then wearing a browser's User-Agent as scrapers do.
# Not part of the test run: clients.jsonl is committed with its recording.
set -euo pipefail
cd "$(dirname "$0")"
port=18099
out=$(mktemp)
python3 record-server.py "$port" "$out" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$out"' EXIT
u=http://127.0.0.1:$port
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  sleep 0.2
done
CH='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36'
FF='Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'
SF='Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15'
gotmp=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$out" "$gotmp"' EXIT

curl -s --noproxy '*' "$u/curl" >/dev/null
wget --no-proxy -q -O /dev/null "$u/wget"
python3 -c "import urllib.request; urllib.request.urlopen('$u/python-urllib').read()"
python3 -c "import requests; requests.get('$u/python-requests')"
node -e "fetch('$u/node-fetch').then(r=>r.text())"
node -e "require('http').get('$u/node-http', r=>r.resume())"
cat > "$gotmp/main.go" <<GO
package main

import "net/http"

func get(path, ua string) {
	req, _ := http.NewRequest("GET", "$u"+path, nil)
	if ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	if r, err := http.DefaultClient.Do(req); err == nil {
		r.Body.Close()
	}
}

func main() {
	get("/go-http-client", "")
	get("/go-http-client-as-chrome", "$CH")
}
GO
(cd "$gotmp" && go run main.go)

curl -s --noproxy '*' -A "$CH" "$u/curl-as-chrome" >/dev/null
curl -s --noproxy '*' -A "$FF" -H 'Accept-Language: en-US,en;q=0.5' "$u/curl-as-firefox-with-language" >/dev/null
curl -s --noproxy '*' --compressed -A "$SF" -H 'Accept-Language: en-GB' "$u/curl-as-safari-compressed-with-language" >/dev/null
python3 -c "import requests; requests.get('$u/python-requests-as-chrome', headers={'User-Agent': '''$CH'''})"
python3 -c "import requests; requests.get('$u/python-requests-as-firefox', headers={'User-Agent': '''$FF''', 'Accept-Language': 'en-US'})"
node -e "fetch('$u/node-fetch-as-chrome', {headers: {'user-agent': '$CH'}}).then(r=>r.text())"
node -e "fetch('$u/node-fetch-as-safari', {headers: {'user-agent': '$SF'}}).then(r=>r.text())"
wget --no-proxy -q -O /dev/null -U "$FF" "$u/wget-as-firefox"
if command -v chromium >/dev/null; then
  timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom "http://localhost:$port/headless-chromium" >/dev/null 2>&1 || true
fi
sleep 0.5
grep -v "\"favicon.ico\"" "$out" > clients.jsonl
wc -l clients.jsonl
