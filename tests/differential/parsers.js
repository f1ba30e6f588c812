#!/usr/bin/env node
// What Node.js handlers extract from each request of the differential
// suite. Reads a JSON array of cases (see cases.go) on stdin and writes a
// JSON array: for each case, an object mapping a parser's name to the
// strings it extracts. Parsers: querystring, URLSearchParams,
// decodeURIComponent (path), JSON.parse, zlib (gunzip), busboy (multipart
// and forms, as Express's multer and most Lambda frameworks use it) and
// Buffer's base64 decoding.
'use strict';
const path = require('path');
const querystring = require('querystring');
const zlib = require('zlib');
const busboy = require(path.join(__dirname, 'node_modules', 'busboy'));

const MIN_BASE64 = 8;

function printable(buf) {
  const s = buf.toString('utf8');
  if (s.length === 0 || s.includes('\ufffd')) return null;
  for (const c of s) {
    const o = c.codePointAt(0);
    if ((o < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') || o === 0x7f) return null;
  }
  return s;
}

function b64Texts(v) {
  if (v.length < MIN_BASE64) return [];
  const t = printable(Buffer.from(v, 'base64'));
  return t === null ? [] : [t];
}

function jsonStrings(v, out) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((e) => jsonStrings(e, out));
  else if (v && typeof v === 'object') {
    for (const [k, e] of Object.entries(v)) {
      out.push(k);
      jsonStrings(e, out);
    }
  }
}

function header(c, name) {
  const vs = c.headers.filter(([k]) => k === name).map(([, v]) => v);
  return vs.join(name === 'cookie' ? '; ' : ',');
}

function qsPairs(s) {
  const out = [];
  for (const [k, v] of Object.entries(querystring.parse(s))) {
    out.push(k);
    for (const x of [].concat(v)) out.push(x);
  }
  return out;
}

function uspPairs(s) {
  const out = [];
  for (const [k, v] of new URLSearchParams(s)) out.push(k, v);
  return out;
}

function bodies(c, body) {
  const out = [body];
  if (header(c, 'content-encoding').toLowerCase() === 'gzip') {
    try {
      out.push(zlib.gunzipSync(body));
    } catch (e) {
      try {
        out.push(zlib.gunzipSync(body, { finishFlush: zlib.constants.Z_SYNC_FLUSH }));
      } catch (e2) { /* not gzip after all */ }
    }
  }
  return out;
}

function busboyValues(ct, body) {
  return new Promise((resolve) => {
    const out = [];
    let bb;
    try {
      bb = busboy({ headers: { 'content-type': ct }, defCharset: 'utf8', defParamCharset: 'utf8' });
    } catch (e) {
      resolve(out);
      return;
    }
    bb.on('field', (name, val) => out.push(name, val));
    bb.on('file', (name, stream, info) => {
      out.push(name);
      if (info.filename) out.push(info.filename);
      const chunks = [];
      stream.on('data', (d) => chunks.push(d));
      stream.on('end', () => out.push(Buffer.concat(chunks).toString('utf8')));
    });
    bb.on('close', () => resolve(out));
    bb.on('error', () => resolve(out));
    bb.end(body);
  });
}

async function parse(c) {
  const res = {};
  const body = Buffer.from(c.body || '', 'base64');
  const ct = header(c, 'content-type');
  const media = ct.split(';')[0].trim().toLowerCase();
  res.querystring = qsPairs(c.query);
  res.URLSearchParams = uspPairs(c.query);
  res.decodeURIComponent = c.path.split('/').map((s) => {
    try { return decodeURIComponent(s); } catch (e) { return ''; }
  });
  res.headers = [...new Set(c.headers.map(([k]) => k))].filter((k) => k !== 'cookie').map((k) => header(c, k));
  for (const b of bodies(c, body)) {
    if (media === 'application/x-www-form-urlencoded') {
      (res['querystring(form)'] ||= []).push(...qsPairs(b.toString('utf8')));
      (res['URLSearchParams(form)'] ||= []).push(...uspPairs(b.toString('utf8')));
    } else if (media === 'application/json') {
      try {
        const out = [];
        jsonStrings(JSON.parse(b.toString('utf8')), out);
        (res.json ||= []).push(...out);
      } catch (e) { /* not JSON */ }
    }
    if (media === 'application/x-www-form-urlencoded' || media.startsWith('multipart/')) {
      (res.busboy ||= []).push(...(await busboyValues(ct, b)));
    }
  }
  for (const name of Object.keys(res)) {
    const extra = res[name].flatMap(b64Texts);
    if (extra.length) res[name + '+base64'] = extra;
  }
  return res;
}

async function main() {
  const chunks = [];
  for await (const d of process.stdin) chunks.push(d);
  const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const out = [];
  for (const c of cases) out.push(await parse(c));
  process.stdout.write(JSON.stringify(out));
}

main();
