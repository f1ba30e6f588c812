#!/usr/bin/env python3
"""What Python handlers extract from each request of the differential suite.

Reads a JSON array of cases (see cases.go) on stdin and writes a JSON array:
for each case, an object mapping a parser's name to the strings it extracts.
Parsers: urllib.parse (query, form, path), http.cookies and werkzeug's
cookie parser, email (multipart, as cgi-era code does), python-multipart
(FastAPI, Starlette, Mangum), werkzeug (Flask), json, gzip, base64
(b64decode and urlsafe_b64decode, lenient as they are by default).
"""
import base64
import binascii
import email
import email.policy
import gzip
import http.cookies
import io
import json
import sys
import urllib.parse
import zlib

import multipart  # Debian python3-multipart
import werkzeug.formparser
import werkzeug.http

MIN_BASE64 = 8


def printable(b):
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not s or any((ord(c) < 0x20 and c not in "\t\n\r") or ord(c) == 0x7F for c in s):
        return None
    return s


def b64_texts(v):
    out = []
    if len(v) < MIN_BASE64:
        return out
    for dec in (base64.b64decode, base64.urlsafe_b64decode):
        for s in (v, v + "=" * (-len(v) % 4)):
            try:
                t = printable(dec(s))
            except (binascii.Error, ValueError):
                continue
            if t is not None:
                out.append(t)
    return out


def json_strings(v, out):
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, list):
        for e in v:
            json_strings(e, out)
    elif isinstance(v, dict):
        for k, e in v.items():
            out.append(k)
            json_strings(e, out)


def json_pairs(pairs):
    # every member, duplicates included (json.loads keeps the last)
    return {"__pairs__": pairs}


def json_all(v, out):
    if isinstance(v, dict) and "__pairs__" in v:
        for k, e in v["__pairs__"]:
            out.append(k)
            json_all(e, out)
    elif isinstance(v, list):
        for e in v:
            json_all(e, out)
    elif isinstance(v, str):
        out.append(v)


def header(case, name):
    vals = [v for k, v in case["headers"] if k == name]
    return ("; " if name == "cookie" else ",").join(vals)


def form_pairs(s):
    return [x for kv in urllib.parse.parse_qsl(s, keep_blank_values=True) for x in kv]


def bodies(case, body):
    out = [body]
    if header(case, "content-encoding").lower() == "gzip":
        try:
            out.append(gzip.decompress(body))
        except (OSError, EOFError, zlib.error):
            # a handler reading member by member still gets the first one
            try:
                out.append(zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body))
            except zlib.error:
                pass
    return out


def parse(case):
    res = {}
    body = base64.b64decode(case["body"] or "")
    ct = header(case, "content-type")
    media = ct.split(";")[0].strip().lower()

    res["urllib.parse"] = form_pairs(case["query"]) + [
        urllib.parse.unquote(seg) for seg in case["path"].split("/")
    ]
    cookie = header(case, "cookie")
    if cookie:
        sc = http.cookies.SimpleCookie()
        try:
            sc.load(cookie)
        except http.cookies.CookieError:
            pass
        res["http.cookies"] = [x for k, m in sc.items() for x in (k, m.value)]
        res["werkzeug.http.parse_cookie"] = [
            x for k, vs in werkzeug.http.parse_cookie(cookie).lists() for v in vs for x in (k, v)
        ]
    res["headers"] = [header(case, k) for k in {k for k, _ in case["headers"]} if k != "cookie"]

    for b in bodies(case, body):
        if media == "application/x-www-form-urlencoded":
            res.setdefault("urllib.parse(form)", []).extend(form_pairs(b.decode("utf-8", "replace")))
        elif media == "application/json":
            try:
                out = []
                json_all(json.loads(b, object_pairs_hook=json_pairs), out)
                res.setdefault("json", []).extend(out)
            except ValueError:
                pass
        elif media.startswith("multipart/"):
            res.setdefault("email", []).extend(email_parts(ct, b))
            res.setdefault("python-multipart", []).extend(python_multipart(ct, b))
        if media in ("application/x-www-form-urlencoded",) or media.startswith("multipart/"):
            res.setdefault("werkzeug", []).extend(werkzeug_form(ct, b))

    for name in list(res):
        extra = [t for v in res[name] for t in b64_texts(v)]
        if extra:
            res[name + "+base64"] = extra
    return res


def email_parts(ct, body):
    out = []
    msg = email.message_from_bytes(b"Content-Type: " + ct.encode() + b"\r\n\r\n" + body, policy=email.policy.HTTP)
    if not msg.is_multipart():
        return out
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            out.append(str(name))
        fn = part.get_filename()
        if fn:
            out.append(fn)
        payload = part.get_payload(decode=True) or b""
        out.append(payload.decode("utf-8", "replace"))
    return out


def python_multipart(ct, body):
    out = []

    def on_field(f):
        out.append(f.field_name.decode("utf-8", "replace") if isinstance(f.field_name, bytes) else f.field_name)
        v = f.value or b""
        out.append(v.decode("utf-8", "replace") if isinstance(v, bytes) else v)

    def on_file(f):
        for x in (f.field_name, f.file_name):
            if x:
                out.append(x.decode("utf-8", "replace") if isinstance(x, bytes) else x)
        f.file_object.seek(0)
        out.append(f.file_object.read().decode("utf-8", "replace"))

    try:
        multipart.parse_form({"Content-Type": ct.encode()}, io.BytesIO(body), on_field, on_file)
    except Exception:  # a malformed body: what was parsed so far counts
        pass
    return out


def werkzeug_form(ct, body):
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": ct,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    out = []
    try:
        _, form, files = werkzeug.formparser.parse_form_data(environ)
    except Exception:
        return out
    for k, vs in form.lists():
        out.append(k)
        out.extend(vs)
    for k, fs in files.lists():
        out.append(k)
        for f in fs:
            if f.filename:
                out.append(f.filename)
            out.append(f.read().decode("utf-8", "replace"))
    return out


def main():
    cases = json.load(sys.stdin)
    json.dump([parse(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
