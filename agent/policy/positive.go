package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/lambdawaf/lambdawaf/agent/policy/document"
	"math"
	"mime"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lambdawaf/lambdawaf/agent/internal/thirdparty/jsonschema"
)

// DefaultSchemaMaxBytes bounds the bodies validated against a JSON Schema
// when the route sets no body.maxBytes.
const DefaultSchemaMaxBytes = 1 << 20

// route is the compiled positive model of one route.
type route struct {
	id      string
	pat     routePattern
	methods map[string]bool
	params  []*param
	known   map[string]bool // declared query parameter names
	unknown Outcome         // what undeclared query parameters do; "" = allow
	body    *bodyModel
	action  Outcome // what a violation does: Block or Log
}

type param struct {
	where    string // query, header, cookie, path
	name     string
	loc      string // "query.id"
	typ      string
	required bool
	re       *regexp.Regexp
	minLen   int
	maxLen   int // -1: none
	min, max float64
	hasMin   bool
	hasMax   bool
	minExcl  bool // min is exclusive (OpenAPI exclusiveMinimum)
	maxExcl  bool
	enum     map[string]bool
}

type bodyModel struct {
	ctypes   []string
	maxBytes int
	required bool
	schema   *jsonschema.Schema
}

func outcomeOf(s string, def Outcome) Outcome {
	switch s {
	case "block":
		return Block
	case "log":
		return Log
	case "allow":
		return ""
	}
	return def
}

func compileRouteSpec(pr *document.Problems, path []string, rs *document.RouteSpec) *route {
	rp, err := compileRoute(rs.Route)
	if err != nil {
		pr.Add(document.At(path, "route"), "%v", err)
		return nil
	}
	r := &route{
		id:      rs.Route,
		pat:     rp,
		known:   map[string]bool{},
		unknown: outcomeOf(rs.UnknownParameters, Log),
		action:  outcomeOf(rs.Action, Block),
	}
	if len(rs.Methods) > 0 {
		r.methods = map[string]bool{}
		for _, m := range rs.Methods {
			r.methods[strings.ToUpper(m)] = true
		}
	}
	for loc, ps := range rs.Parameters {
		p := compileParam(pr, document.At(path, "parameters", loc), loc, ps)
		if p == nil {
			continue
		}
		if p.where == "path" && !containsString(rp.params, p.name) {
			pr.Add(document.At(path, "parameters", loc), "route %q has no path parameter {%s}", rs.Route, p.name)
			continue
		}
		r.params = append(r.params, p)
		if p.where == "query" {
			r.known[p.name] = true
		}
	}
	if rs.Body != nil {
		bm := &bodyModel{ctypes: rs.Body.ContentTypes, maxBytes: rs.Body.MaxBytes, required: rs.Body.Required}
		if rs.Body.Schema != nil {
			s, err := compileJSONSchema(rs.Body.Schema, "route.json")
			if err != nil {
				pr.Add(document.At(path, "body", "schema"), "invalid JSON Schema: %v", err)
			}
			bm.schema = s
		}
		r.body = bm
	}
	return r
}

func compileParam(pr *document.Problems, path []string, loc string, ps *document.ParamSpec) *param {
	where, name, ok := strings.Cut(loc, ".")
	if !ok || name == "" {
		pr.Add(path, "expected a parameter location such as query.id, header.x-api-key, cookie.session or path.id")
		return nil
	}
	switch where {
	case "query", "cookie", "path":
	case "header":
		name = strings.ToLower(name)
	default:
		pr.Add(path, "expected a parameter in query, header, cookie or path, got %q", where)
		return nil
	}
	p := &param{where: where, name: name, loc: where + "." + name, typ: ps.Type, required: ps.Required, maxLen: -1}
	if where == "path" {
		p.required = true
	}
	switch ps.Type {
	case "", "string", "integer", "number", "boolean":
	default:
		pr.Add(document.At(path, "type"), "expected string, integer, number or boolean, got %q", ps.Type)
	}
	if ps.Pattern != "" {
		re, err := regexp.Compile(ps.Pattern)
		if err != nil {
			pr.Add(document.At(path, "pattern"), "invalid RE2 regular expression: %v", unwrapRegexErr(err))
		}
		p.re = re
	}
	if ps.MinLength != nil {
		p.minLen = *ps.MinLength
	}
	if ps.MaxLength != nil {
		p.maxLen = *ps.MaxLength
		if p.maxLen < p.minLen {
			pr.Add(document.At(path, "maxLength"), "maxLength %d is less than minLength %d", p.maxLen, p.minLen)
		}
	}
	if ps.Minimum != nil {
		p.min, p.hasMin = *ps.Minimum, true
	}
	if ps.Maximum != nil {
		p.max, p.hasMax = *ps.Maximum, true
	}
	if len(ps.Enum) > 0 {
		p.enum = map[string]bool{}
		for _, e := range ps.Enum {
			p.enum[e] = true
		}
	}
	return p
}

// compileJSONSchema compiles a schema given as a decoded JSON value.
func compileJSONSchema(doc any, name string) (*jsonschema.Schema, error) {
	// Round-trip through encoding/json so numbers have the types the
	// compiler expects, whatever produced doc.
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := newSchemaCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "mem:///" + name
	if err := c.AddResource(url, v); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// newSchemaCompiler returns a JSON Schema compiler that resolves $refs
// only inside the documents given to it: a configuration must not make the
// agent read files ("$ref": "file:///dev/zero") or fetch URLs.
func newSchemaCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.UseLoader(refuseLoader{})
	return c
}

type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external $ref %q refused: schemas may only refer inside their own document", url)
}

// check returns "" when the value satisfies the parameter, else a fixed
// explanation of what was expected (never the value).
func (p *param) check(v string) string {
	switch p.typ {
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "expected an integer"
		}
	case "number":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return "expected a number"
		}
	case "boolean":
		if v != "true" && v != "false" {
			return "expected true or false"
		}
	}
	if p.hasMin || p.hasMax {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "expected a number"
		}
		if p.hasMin && (f < p.min || p.minExcl && f == p.min) {
			if p.minExcl {
				return fmt.Sprintf("expected more than %g", p.min)
			}
			return fmt.Sprintf("expected at least %g", p.min)
		}
		if p.hasMax && (f > p.max || p.maxExcl && f == p.max) {
			if p.maxExcl {
				return fmt.Sprintf("expected less than %g", p.max)
			}
			return fmt.Sprintf("expected at most %g", p.max)
		}
	}
	n := utf8.RuneCountInString(v)
	if n < p.minLen {
		return fmt.Sprintf("expected at least %d characters", p.minLen)
	}
	if p.maxLen >= 0 && n > p.maxLen {
		return fmt.Sprintf("expected at most %d characters", p.maxLen)
	}
	if p.re != nil && !p.re.MatchString(v) {
		return "does not match the declared pattern"
	}
	if p.enum != nil && !p.enum[v] {
		return "not one of the declared values"
	}
	return ""
}

// boundedName cuts a client-chosen parameter name used in a location, so
// a reason stays small whatever the client sent.
func boundedName(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// findRoute returns the first route matching the request and the values of
// its path parameters.
func (p *Policy) findRoute(method, path, routeKey string, buf []string) (*route, []string) {
	for _, r := range p.routes {
		if routeKey != "" && (routeKey == r.pat.raw || routeKey == r.pat.tmpl) {
			// The platform matched this route. The path may still carry a
			// stage or a custom domain's base path in front of the
			// template ("/prod/items/42" for "/items/{id}"): drop leading
			// segments until the template fits, to read the parameters.
			for p := path; ; {
				if vals, ok := r.pat.match("", p, buf[:0]); ok {
					return r, vals
				}
				i := strings.IndexByte(strings.TrimPrefix(p, "/"), '/')
				if i < 0 {
					return r, nil
				}
				p = strings.TrimPrefix(p, "/")[i:]
			}
		}
		if vals, ok := r.pat.match(method, path, buf[:0]); ok {
			return r, vals
		}
	}
	return nil, nil
}

// checkPositive judges the request against the positive model.
func (p *Policy) checkPositive(ev *Evaluation) {
	if len(p.routes) == 0 {
		return
	}
	req := ev.ctx.req
	r, pathVals := p.findRoute(req.Method, req.Path, req.Route, ev.params)
	if r == nil {
		if p.openapi != nil && p.openapi.unknownRoutes != "" {
			ev.addReason(Reason{Kind: ReasonPositive, ID: "openapi", Action: p.openapi.unknownRoutes, Location: "path", Record: -1, Message: "no declared operation matches the method and path"}, nil)
		}
		return
	}
	violate := func(act Outcome, loc, msg string) {
		ev.addReason(Reason{Kind: ReasonPositive, ID: r.id, Action: act, Location: loc, Record: -1, Message: msg}, nil)
	}
	if r.methods != nil && !r.methods[req.Method] {
		violate(r.action, "method", "method not allowed on this route")
	}
	for _, prm := range r.params {
		var vals []string
		switch prm.where {
		case "query":
			vals = req.Query[prm.name]
		case "header":
			vals = req.Headers[prm.name]
		case "cookie":
			vals = req.Cookies[prm.name]
		case "path":
			for i, n := range r.pat.params {
				if n == prm.name && i < len(pathVals) {
					vals = pathVals[i : i+1]
				}
			}
		}
		if len(vals) == 0 {
			if prm.required {
				violate(r.action, prm.loc, "required parameter missing")
			}
			continue
		}
		for _, v := range vals {
			if msg := prm.check(v); msg != "" {
				violate(r.action, prm.loc, msg)
				break
			}
		}
	}
	if r.unknown != "" {
		for name := range req.Query {
			if !r.known[name] {
				violate(r.unknown, "query."+boundedName(name), "undeclared parameter")
			}
		}
	}
	if r.body != nil {
		p.checkBody(r, violate, ev)
	}
}

func (p *Policy) checkBody(r *route, violate func(Outcome, string, string), ev *Evaluation) {
	req := ev.ctx.req
	b := r.body
	if len(req.Body) == 0 {
		if b.required {
			violate(r.action, "body", "required body missing")
		}
		return
	}
	if b.maxBytes > 0 && len(req.Body) > b.maxBytes {
		violate(r.action, "body", fmt.Sprintf("body larger than %d bytes", b.maxBytes))
		return
	}
	mt, _, _ := mime.ParseMediaType(req.ContentType)
	if len(b.ctypes) > 0 {
		ok := false
		for _, ct := range b.ctypes {
			// OpenAPI media type ranges: "application/*".
			if strings.EqualFold(ct, mt) || strings.HasSuffix(ct, "/*") && len(mt) > len(ct)-1 && strings.EqualFold(ct[:len(ct)-1], mt[:len(ct)-1]) {
				ok = true
				break
			}
		}
		if !ok {
			violate(r.action, "header.content-type", "content type not allowed on this route")
			return
		}
	}
	if b.schema == nil {
		return
	}
	if b.maxBytes == 0 && len(req.Body) > DefaultSchemaMaxBytes {
		// Validating means decoding the whole body into a tree: bound it
		// unless the route says how large its bodies may be.
		violate(r.action, "body", fmt.Sprintf("body larger than %d bytes cannot be validated (set body.maxBytes to allow it)", DefaultSchemaMaxBytes))
		return
	}
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") && mt != "" {
		violate(r.action, "header.content-type", "a JSON body was expected")
		return
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(req.Body))
	if err != nil {
		violate(r.action, "body", "body is not valid JSON")
		return
	}
	if err := b.schema.Validate(doc); err != nil {
		violate(r.action, schemaErrorLocation(err), "body does not match the declared schema")
	}
}

// schemaErrorLocation names the first failing body field as a Location
// ("body.items[2].sku"), without quoting the value.
func schemaErrorLocation(err error) string {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return "body"
	}
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	var b strings.Builder
	b.WriteString("body")
	for _, tok := range ve.InstanceLocation {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
		} else {
			b.WriteString("." + tok)
		}
	}
	return b.String()
}
