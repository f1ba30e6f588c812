"""A Lambda handler that parses its event the way real handlers do.

It reads every representation a handler or framework might read: the
event's JSON as Python's json module reads it (every string and key,
last duplicate wins), query strings with urllib.parse.parse_qs, cookies
from the cookies list and the Cookie header (http.cookies), bodies
decoded with a lenient base64.b64decode, gunzipped, and parsed as JSON,
form (parse_qs), multipart (the email package) or XML (ElementTree, in
the encoding its declaration names), also with the charset
the content type names (as Django decodes form fields), record payloads
(SQS bodies, Kinesis/Kafka/MQ base64 data, Kafka header bytes, DynamoDB
images) and JWT payloads. Every text it extracts is also URL-unquoted,
base64-decoded and JSON-parsed once more, as handlers that decode
"just in case" do.

It returns which attacks of ../attacks.json reached it in a parsed view:
{"reached": true, "hits": [ids], "records": n}. Standard library only.
"""
import base64
import binascii
import email
import email.message
import email.policy
import gzip
import http.cookies
import json
import os
import urllib.parse
import xml.etree.ElementTree
import zlib

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "attacks.json")) as f:
    ATTACKS = json.load(f)


def lenient_b64(s):
    """base64 as handlers decode it: whitespace and junk ignored
    (validate=False), padding repaired, URL-safe alphabet accepted."""
    if isinstance(s, str):
        s = s.encode("latin-1", "ignore")
    s = bytes(c for c in s if c not in b" \t\r\n")
    for alt in (None, b"-_"):
        try:
            return base64.b64decode(s + b"=" * (-len(s) % 4), altchars=alt)
        except (binascii.Error, ValueError):
            continue
    return None


def texts_of(obj, out, depth=0):
    """Every string and key of a JSON value."""
    if depth > 200:
        return
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.append(str(k))
            texts_of(v, out, depth + 1)
    elif isinstance(obj, list):
        for v in obj:
            texts_of(v, out, depth + 1)
            if isinstance(v, int) and all(isinstance(x, int) and 0 <= x < 256 for x in obj):
                out.append(bytes(obj).decode("utf-8", "replace"))
                break


def as_text(b):
    if b is None:
        return None
    if isinstance(b, str):
        return b
    return b.decode("utf-8", "replace")


def unpack(raw, encoding):
    encoding = (encoding or "").lower().strip()
    try:
        if "gzip" in encoding or raw[:2] == b"\x1f\x8b":
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out = d.decompress(raw)
            # Trailing data after the member: what Go's, Python's and
            # Node's readers do differs; take it as text too.
            return out + b"\n" + d.unused_data
        if "deflate" in encoding:
            return zlib.decompress(raw)
    except (OSError, zlib.error, EOFError):
        pass
    return raw


def parse_body(raw, content_type, encoding, out):
    raw = unpack(raw, encoding)
    text = as_text(raw)
    out.append(text)
    ct = (content_type or "").lower()
    if "multipart/" in ct:
        msg = email.message_from_bytes(
            b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\nMIME-Version: 1.0\r\n\r\n" + raw,
            policy=email.policy.HTTP)
        for part in msg.walk():
            if part.is_multipart():
                continue
            out.append(str(part.get_filename() or ""))
            out.append(str(part.get_param("name", header="content-disposition") or ""))
            out.append(as_text(part.get_payload(decode=True)) or "")
    for k, vs in urllib.parse.parse_qs(text, keep_blank_values=True).items():
        out.append(k)
        out.extend(vs)
    params = email.message.Message()
    params["content-type"] = content_type or ""
    # every charset parameter: email takes the first, Django's and
    # Werkzeug's header parsers the last
    for name, charset in params.get_params() or []:
        if name.lower() != "charset" or not charset:
            continue
        charset = charset.strip('"').lower()
        # Django decodes form fields with the charset the request names
        try:
            for k, vs in urllib.parse.parse_qs(text, keep_blank_values=True, encoding=charset).items():
                out.append(k)
                out.extend(vs)
        except LookupError:
            pass
        try:
            out.append(raw.decode(charset))
            texts_of(json.loads(raw.decode(charset)), out)
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
    if "xml" in ct:
        # ElementTree (expat) reads the encoding the declaration names
        # and decodes character references, as SOAP handlers' parsers do
        try:
            for el in xml.etree.ElementTree.fromstring(raw).iter():
                out.append(el.text or "")
                out.append(el.tail or "")
                out.extend(el.attrib.values())
        except xml.etree.ElementTree.ParseError:
            pass
    try:
        # bytes, as Flask's get_json and Starlette's request.json() hand
        # them over: json.loads picks UTF-16 or UTF-32 by the first bytes
        texts_of(json.loads(raw), out)
    except (ValueError, UnicodeDecodeError, TypeError):
        pass
    try:
        texts_of(json.loads(text), out)
    except ValueError:
        for line in text.splitlines():
            try:
                texts_of(json.loads(line), out)
            except ValueError:
                pass


def headers_of(event):
    h = {}
    for key in ("headers", "multiValueHeaders"):
        for k, v in (event.get(key) or {}).items():
            vs = v if isinstance(v, list) else [v]
            h.setdefault(k.lower(), []).extend(x for x in vs if isinstance(x, str))
    req = event.get("request")
    if isinstance(req, dict) and isinstance(req.get("headers"), dict):
        for k, v in req["headers"].items():
            if isinstance(v, str):
                h.setdefault(k.lower(), []).append(v)
    return h


def http_view(event, out):
    h = headers_of(event)
    for k, vs in h.items():
        out.append(k)
        out.extend(vs)
    for q in (event.get("rawQueryString"), event.get("path", "").partition("?")[2] if isinstance(event.get("path"), str) else ""):
        if isinstance(q, str) and q:
            for k, vs in urllib.parse.parse_qs(q, keep_blank_values=True).items():
                out.append(k)
                out.extend(vs)
    for p in (event.get("rawPath"), event.get("path"), event.get("raw_path")):
        if isinstance(p, str):
            out.append(urllib.parse.unquote(p))
    cookies = list(event.get("cookies") or []) + h.get("cookie", [])
    for c in cookies:
        if not isinstance(c, str):
            continue
        jar = http.cookies.SimpleCookie()
        try:
            jar.load(c)
        except http.cookies.CookieError:
            pass
        for k, m in jar.items():
            out.append(k)
            out.append(m.value)
        for pair in c.split(";"):
            out.extend(pair.strip().partition("=")[::2])
    for a in h.get("authorization", []):
        token = a.split(" ", 1)[-1]
        for seg in token.split(".")[:2]:
            out.append(as_text(lenient_b64(seg)) or "")
    body = event.get("body")
    if isinstance(body, str):
        b64 = event.get("isBase64Encoded") or event.get("is_base64_encoded")
        raw = lenient_b64(body) if b64 else body.encode("utf-8", "surrogatepass")
        if raw is not None:
            ct = (h.get("content-type") or [""])[0]
            ce = (h.get("content-encoding") or [""])[0]
            parse_body(raw, ct, ce, out)


def record_view(rec, out):
    if not isinstance(rec, dict):
        return
    for key in ("body", "Message"):
        v = rec.get(key) or (rec.get("Sns") or {}).get(key)
        if isinstance(v, str):
            parse_body(v.encode("utf-8", "surrogatepass"), "", "", out)
    kin = rec.get("kinesis")
    for data in (rec.get("data"), rec.get("value"), rec.get("key"), kin.get("data") if isinstance(kin, dict) else None):
        if isinstance(data, str):
            raw = lenient_b64(data)
            if raw is not None:
                parse_body(raw, "", "", out)


def records_of(event):
    if isinstance(event, list):
        return event
    recs = event.get("Records") or event.get("messages") or []
    for group in ("records", "rmqMessagesByQueue"):
        if isinstance(event.get(group), dict):
            for v in event[group].values():
                if isinstance(v, list):
                    recs = recs + v
    return recs if isinstance(recs, list) else []


def expand(texts):
    """What handlers that decode "just in case" see."""
    more = []
    for t in texts:
        if not isinstance(t, str) or len(t) < 4:
            continue
        u = urllib.parse.unquote_plus(t)
        more.append(u)
        more.append(urllib.parse.unquote(u))
        if len(t) >= 8 and len(t) % 4 != 1:
            b = lenient_b64(t)
            if b:
                more.append(as_text(b))
        if t[:1] in "[{":
            try:
                texts_of(json.loads(t), more)
            except ValueError:
                pass
    return more


def handler(event, context):
    out = []
    texts_of(event, out)
    if isinstance(event, dict):
        http_view(event, out)
    records = records_of(event)
    for rec in records:
        record_view(rec, out)
    out += expand(out)
    blob = "\n".join(t for t in out if isinstance(t, str))
    hits = [a["id"] for a in ATTACKS if a["core"] in blob]
    return {"reached": True, "hits": hits, "records": len(records)}
