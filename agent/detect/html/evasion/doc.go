// Package evasion reads markup and script URLs written so that the text
// itself holds no "<script" or "javascript:" while a browser, an XML
// reader or a lenient server sees one: UTF-7 shifted sequences, character
// references inside a URL scheme, tag names spelt letter by letter or
// under a namespace prefix, Internet Explorer's HTML-component import,
// data: URLs of markup and CSS url() of a script scheme. Each reading is
// one legitimate input has no reason to need, and each scan is linear in
// the value.
package evasion
