package detect

import (
	"hash/maphash"
	"strings"
	"sync"

	"github.com/lambdawaf/lambdawaf/agent/detect/html"
	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
	"github.com/lambdawaf/lambdawaf/agent/detect/traversal"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// Options tunes an Engine. The zero value enables every class and rule and
// keeps every signal; policy narrows it for exclusions.
type Options struct {
	// DisableClasses turns whole classes off (e.g. Scanner for an internal API).
	DisableClasses []Class
	// DisableRules turns single rules off by their stable name
	// (e.g. "sqli-libinjection", "path-traversal").
	DisableRules []string
	// MinScore drops signals scoring below it (1..10); 0 keeps all.
	MinScore int
	// MaxValueBytes bounds how much of one value is judged; longer values are
	// judged on their first MaxValueBytes bytes and reported with a protocol
	// signal. 0 means 1 MiB.
	MaxValueBytes int
	// Paranoia selects how much ambiguous evidence counts. Level 1 (the
	// default; 0 means 1) runs the precise detectors only: a finding needs
	// an attack's structure, so legitimate prose, code and data pass.
	// Level 2 adds detectors for attack fragments that also occur in
	// legitimate input (a bare SQL operator clause, a lone shell command
	// word, an off-site URL in a parameter); it suits APIs whose inputs are
	// narrow (ids, enums, numbers) and costs false positives on free text.
	Paranoia int
}

// MaxParanoia is the highest paranoia level Options accepts.
const MaxParanoia = 2

// Engine judges values. It holds only immutable configuration and a pool of
// scratch buffers, so one Engine serves concurrent invocations.
type Engine struct {
	disabledClass map[Class]bool
	disabledRule  map[string]bool
	minScore      int
	maxBytes      int
	paranoia      int
	splitMin      int // texts this long are judged on two cores (judgeConcurrently)
	scratch       sync.Pool
	memo          repeatMemo
}

// New builds an Engine from opts.
func New(opts Options) *Engine {
	e := &Engine{
		disabledClass: make(map[Class]bool, len(opts.DisableClasses)),
		disabledRule:  make(map[string]bool, len(opts.DisableRules)),
		minScore:      opts.MinScore,
		maxBytes:      opts.MaxValueBytes,
	}
	for _, c := range opts.DisableClasses {
		e.disabledClass[c] = true
	}
	for _, r := range opts.DisableRules {
		e.disabledRule[r] = true
	}
	if e.maxBytes <= 0 {
		e.maxBytes = 1 << 20
	}
	e.paranoia = min(max(opts.Paranoia, 1), MaxParanoia)
	e.splitMin = splitMinBytes
	e.scratch.New = func() any { return new(scratch) }
	e.memo.seed = maphash.MakeSeed()
	return e
}

// Paranoia reports the engine's paranoia level (1 or 2).
func (e *Engine) Paranoia() int { return e.paranoia }

// Enabled reports whether signals of class c can be produced.
func (e *Engine) Enabled(c Class) bool { return !e.disabledClass[c] }

// scratch holds per-call buffers reused across calls through the pool.
type scratch struct {
	lower []byte
	norm  []byte
	tmp   []byte
	pairs lex.Pairs // of lower, for a short value (lowerBytes)
}

// input is one text under judgement with its context and lazily built views.
type input struct {
	e         *Engine
	v         event.Value
	text      string // the text judged (value or key)
	isKey     bool
	mask      mask
	sink      sink
	sc        *scratch
	lower_    string
	hasLow    bool
	lowSet    lex.ByteSet // the bytes of lower_, once hasLowSet
	hasLowSet bool
	dst       []Signal
	base      int // signals of this value start at dst[base]
}

// paranoid reports whether detectors for ambiguous fragments run
// (Options.Paranoia 2).
func (in *input) paranoid() bool { return in.e.paranoia >= 2 }

// lower returns the ASCII-lowercased text, built once per input.
func (in *input) lower() string {
	if !in.hasLow {
		in.sc.lower = appendLower(in.sc.lower[:0], in.text)
		in.lower_ = unsafeString(in.sc.lower)
		in.hasLow = true
	}
	return in.lower_
}

// lowerBytes returns the byte set of lower(), built once per input.
func (in *input) lowerBytes() *lex.ByteSet {
	if !in.hasLowSet {
		in.lowSet = lex.BytesAndPairsOf(in.lower(), &in.sc.pairs)
		in.hasLowSet = true
	}
	return &in.lowSet
}

// emit appends a signal unless its class, rule or score is filtered out.
// off and end locate the match in in.text for the excerpt.
func (in *input) emit(c Class, rule string, score int, off, end int) {
	e := in.e
	if e.disabledClass[c] || e.disabledRule[rule] || score < e.minScore {
		return
	}
	if in.emitted(c, rule) {
		return // one signal per rule per value is enough evidence
	}
	loc := in.v.Location
	if in.isKey && !in.v.IsKey {
		loc = in.v.Location + "#key"
	}
	in.dst = append(in.dst, Signal{
		Class:    c,
		Location: loc,
		Record:   in.v.Record,
		Rule:     rule,
		Excerpt:  Excerpt(in.text, off, end),
		Score:    score,
	})
}

// Inspect judges one decoded value (and its key) and appends any signals to
// dst, returning the extended slice. It never retains v.
func (e *Engine) Inspect(v event.Value, dst []Signal) []Signal {
	sc := e.scratch.Get().(*scratch)
	defer e.scratch.Put(sc)
	text := v.Text
	if len(text) > e.maxBytes {
		text = text[:e.maxBytes]
		in := input{e: e, v: v, text: text, sc: sc, dst: dst, base: len(dst)}
		in.emit(Protocol, "value-too-long", 3, 0, 16)
		dst = in.dst
	}
	memo := memoizable(&v)
	if memo && e.memo.benign(&v) {
		return dst // a User-Agent, a field's name judged before: see repeatMemo
	}
	if v.IsKey {
		// The decoder yields names as values of their own.
		out := e.inspectName(v, text, false, sc, dst)
		if memo && len(out) == len(dst) {
			e.memo.remember(&v)
		}
		return out
	}
	if headerOwn(&v) && protocolValue(v.Key, text) {
		return dst // "application/json", "en-GB,en;q=0.9": see protocolValue
	}
	sk := sinkOf(&v)
	if v.Key != "" && v.Key != v.Text && !v.KeyJudged && keyWorthJudging(&v) {
		dst = e.inspectName(v, v.Key, true, sc, dst)
	}
	in := input{e: e, v: v, text: text, sink: sk, sc: sc, dst: dst, base: len(dst)}
	in.mask = scanMask(text)
	in.judge()
	if memo && len(in.dst) == len(dst) {
		e.memo.remember(&v)
	}
	return in.dst
}

// inspectName judges a parameter, cookie or JSON key name. The decoder
// yields the names a handler decodes further (a percent-encoded cookie
// name, which PHP decodes) as names of their own.
func (e *Engine) inspectName(v event.Value, text string, isKey bool, sc *scratch, dst []Signal) []Signal {
	in := input{e: e, v: v, text: text, isKey: isKey, sink: sinkKey, sc: sc, dst: dst, base: len(dst)}
	in.mask = scanMask(text)
	in.judgeKey()
	return in.dst
}

// layers counts the layers of encoding enc (decode's names: "url",
// "html", "base64") removed to reach a value's text.
func layers(dec []string, enc string) int {
	n := 0
	for _, d := range dec {
		if d == enc {
			n++
		}
	}
	return n
}

// keyWorthJudging skips keys that are positional ("[3]") or that a decoder
// derived from the location rather than the client.
func keyWorthJudging(v *event.Value) bool {
	return v.Part != event.PartHeader // header names are constrained tokens
}

// judge runs every detector whose prefilter admits the text.
func (in *input) judge() {
	m := in.mask
	if len(in.text) == 0 {
		return
	}
	if in.v.Part == event.PartHeader && in.sink == sinkUserAgent {
		in.detectScanner()
	}
	in.detectSessionParam()
	if in.v.Key != "" && in.e.Enabled(CodeInj) {
		in.detectUpload()
	}
	if m.plain() && (in.sink == sinkNone || in.sink == sinkUpload) {
		// Letters, digits, spaces and a few harmless punctuation marks:
		// only the keyword-level SQL checks can apply.
		if len(in.text) >= 4 {
			in.detectPlain()
			in.detectSQLiPlain()
		}
		if m.has(bPlus) && m.has(bDash) {
			in.detectXSSPlain() // UTF-7 markup: +ADw-script+AD4-
		}
		if m.hasAll(bHigh|bDot) || m.has(bDot) && traversal.HexSeparator(in.text) {
			// dots between look-alike slashes: "..／..／etc／passwd",
			// "..∕..∕", IIS's best-fit "....boot.ini", or slashes and
			// dots spelt as hex: "..0x2f..0x2fboot.ini"
			in.detectPath()
		}
		// "1.e.tables": MySQL reads 1.e as a number glued to a name;
		// "password::int" is a PostgreSQL cast
		if m.has(bSpace|bPlus) || m.has(bDot) && strings.Contains(in.text, ".e.") || m.has(bColon) && strings.Contains(in.text, "::") {
			in.detectSQLi()
			if m.has(bDash) {
				in.detectCmdPhrases()
			}
		}
		return
	}
	// Detectors run most specific first; a certain finding
	// (score >= 8) ends the judgement of this value, which bounds the work
	// per value when a flood of attack values arrives.
	sequence := sqlFirst[:]
	if m.has(bLT) && html.ElementOpen(in.lower()) {
		// A value holding an HTML element is read as HTML first: the
		// quotes and "+" of an attribute such as
		// onerror="fetch('//x/'+document.cookie)" fingerprint as SQL,
		// but the sink they attack is the page.
		sequence = htmlFirst[:]
	}
	if layers(in.v.Decoded, "html") > 0 {
		// Character references are decoded by a browser rendering the
		// value, by no database, shell, file system or template engine:
		// that reading is judged as the page would read it. (An XML body's
		// references are decoded by its parser, not by this reading.)
		sequence = browserOnly[:]
	}
	if len(in.text) >= in.e.splitMin && splitWorthwhile() {
		in.judgeConcurrently(sequence)
		return
	}
	for _, d := range sequence {
		if in.run(d); in.certain() {
			return
		}
	}
}

// certain reports whether this value already has a signal scoring 8 or more.
func (in *input) certain() bool {
	for i := in.base; i < len(in.dst); i++ {
		if in.dst[i].Score >= 8 {
			return true
		}
	}
	return false
}

// judgeKey judges a parameter name: NoSQL operators and injected names.
func (in *input) judgeKey() {
	in.detectNoSQLKey()
	in.detectKeyCode()
	if in.mask.plain() {
		if len(in.text) >= 4 {
			in.detectPlain()
			in.detectSQLiPlain()
		}
		return
	}
	in.detectSQLi()
	in.detectXSS()
	in.detectPath()
	in.detectCmd()
	in.detectJNDI()
	in.detectSSTI()
	in.detectCode()
}

// sink is the likely destination of a value, guessed from its name and part.
type sink uint8

const (
	sinkNone sink = iota
	sinkURL       // url, callback, webhook, redirect ...: SSRF/RFI
	sinkFile      // file, path, page, template ...: LFI/RFI
	sinkCmd       // cmd, exec, host, ip ...: command injection
	sinkUserAgent
	sinkKey
	// sinkUpload is a multipart part's file name: where an upload is
	// written, so traversal and system paths matter as they do for
	// sinkFile, but no server fetches it (a URL there is no inclusion).
	sinkUpload
)

// headerOwn reports whether v is a header's own value or name, which the
// protocol defines. A field of a document a header carries (a JSON Web
// Token's claims, JSON in a custom header) is the application's, named as
// its parameters are.
func headerOwn(v *event.Value) bool {
	return v.Part == event.PartHeader && (len(v.Decoded) == 0 || strings.Count(v.Location, ".") < 2)
}

// innerName is the innermost name of a PHP-style nested parameter name
// (_CONF[path] → path, user[avatar_url] → avatar_url), or k itself.
func innerName(k string) string {
	if j := strings.LastIndexByte(k, '['); j >= 0 && strings.HasSuffix(k, "]") && j+1 < len(k)-1 {
		return k[j+1 : len(k)-1]
	}
	return k
}

// paramName is the innermost name of parameter k lower-cased, written in
// buf; ok is false for a name too long to be one of the names a sink is
// told by.
func paramName(buf *[48]byte, k string) (name string, ok bool) {
	k = innerName(k)
	if len(k) > len(buf) {
		return "", false
	}
	return unsafeString(appendLower(buf[:0], k)), true
}

// customHeaderParam is the parameter an application's own header names,
// "x-file-name" → "file_name", written in buf; ok is false for a header
// the protocol defines (no "x-" prefix) or a name too long.
func customHeaderParam(buf *[48]byte, name string) (string, bool) {
	if len(name) < 3 || !strings.EqualFold(name[:2], "x-") || len(name)-2 > len(buf) {
		return "", false
	}
	b := appendLower(buf[:0], name[2:])
	for i, c := range b {
		if c == '-' {
			b[i] = '_'
		}
	}
	return unsafeString(b), true
}

// sinkOf guesses the sink from the value's key and location.
func sinkOf(v *event.Value) sink {
	var buf [48]byte
	var lk string
	var ok bool
	switch {
	case headerOwn(v):
		if v.Key == "user-agent" || strings.HasSuffix(v.Location, "user-agent") {
			return sinkUserAgent
		}
		// Header names are protocol fields, not application parameters
		// ("host: localhost" is not a URL parameter), but for the
		// application's own ("X-File-Name" is an upload's file name).
		if lk, ok = customHeaderParam(&buf, v.Key); !ok {
			return sinkNone
		}
	case v.Part == event.PartBody && strings.HasSuffix(v.Location, ".filename"):
		// a multipart part's file name (the decoder's location for it,
		// under the part's own name)
		return sinkUpload
	case v.Key == "":
		return sinkNone
	default:
		if lk, ok = paramName(&buf, v.Key); !ok {
			return sinkNone
		}
	}
	switch lk {
	case "url", "uri", "href", "link", "callback", "callback_url", "callbackurl", "webhook", "webhook_url",
		"webhookurl", "redirect", "redirect_uri", "redirect_url", "redirecturl", "return", "return_url",
		"returnurl", "returnto", "return_to", "next", "continue", "dest", "destination", "target", "to",
		"out", "view", "feed", "host", "domain", "site", "proxy", "endpoint", "image", "image_url",
		"imageurl", "img", "src", "source", "avatar", "avatar_url", "icon", "logo", "fetch", "load",
		"remote", "server", "origin", "window", "go", "u", "r", "reference", "ref", "data", "forward",
		"file_url", "document_url", "pdf_url", "import_url", "open", "navigation", "uri_path":
		return sinkURL
	case "file", "filename", "file_name", "path", "filepath", "file_path", "page", "include", "inc",
		"template", "tpl", "doc", "document", "folder", "dir", "directory", "module", "lang", "language",
		"locale", "style", "theme", "layout", "download", "read", "show", "cat", "conf", "config",
		"content", "name_of_file", "pg", "load_file", "php_path", "root", "prefix", "view_file", "log":
		return sinkFile
	case "cmd", "command", "exec", "execute", "run", "ping", "ip", "daemon", "process", "shell", "query_cmd",
		"arg", "args", "option", "opts", "func", "function", "payload", "jump", "code", "reg", "do":
		return sinkCmd
	}
	if strings.HasSuffix(lk, "url") || strings.HasSuffix(lk, "uri") || strings.HasSuffix(lk, "_link") ||
		strings.HasSuffix(lk, "callback") || strings.HasSuffix(lk, "webhook") {
		return sinkURL
	}
	if strings.HasSuffix(lk, "file") || strings.HasSuffix(lk, "path") || strings.HasSuffix(lk, "template") {
		return sinkFile
	}
	return sinkNone
}
