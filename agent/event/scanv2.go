package event

import (
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/lambdawaf/lambdawaf/agent/internal/jsonscan"
)

// scanV2 fills ev from an HTTP API v2 / Function URL payload in one pass,
// without reflection: strings without escapes are substrings of one copy
// of the payload, and the maps are read by readStringLists. It reads only
// the fields fillV2 uses and skips the rest.
//
// It reports false, with ev in an unspecified state, as soon as anything
// differs from what encoding/json would accept into v2Event (a field of
// another type, a syntax error): the caller then unmarshals with
// encoding/json, so both paths accept exactly the same events and
// malformed ones get encoding/json's error. Like encoding/json, a repeated
// key's last value wins and null leaves a field at its zero value.
func scanV2(payload []byte, ev *v2Event, spans *jsonscan.Spans) bool {
	return scanObject(payload, spans, func(v *v2Scan, key string, t jsonscan.Token) bool {
		switch key {
		case "version":
			return v.str(t, &ev.Version)
		case "routeKey":
			return v.str(t, &ev.RouteKey)
		case "rawPath":
			return v.str(t, &ev.RawPath)
		case "rawQueryString":
			return v.str(t, &ev.RawQueryString)
		case "cookies":
			return v.strs(t, &ev.Cookies)
		case "headers":
			return v.lists(t, true, (*map[string][]string)(&ev.Headers))
		case "queryStringParameters":
			return v.lists(t, false, (*map[string][]string)(&ev.QueryStringParameters))
		case "pathParameters":
			return v.lists(t, false, (*map[string][]string)(&ev.PathParameters))
		case "body":
			return v.body(t, &ev.Body, &ev.rawBody)
		case "isBase64Encoded":
			return v.boolean(t, &ev.IsBase64Encoded)
		case "requestContext":
			return v.context(t, &ev.RequestContext)
		}
		return v.skip(key, t, "version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers",
			"queryStringParameters", "pathParameters", "body", "isBase64Encoded", "requestContext")
	})
}

// scanObject reads payload, a JSON object, in one pass, calling member for
// each top-level member (see v2Scan.object); false when member does, when
// the payload is not an object or not valid UTF-8 (encoding/json replaces
// invalid bytes; leave that to it), or when anything follows the object.
// scanV1 and scanV2 are its two uses.
func scanObject(payload []byte, spans *jsonscan.Spans, member func(v *v2Scan, key string, t jsonscan.Token) bool) bool {
	if !utf8.Valid(payload) {
		return false
	}
	v := &v2Scan{buf: payload}
	if len(payload) <= shareCopyMax {
		v.text = string(payload)
	}
	v.s = &v.sc
	v.sc.Reset(payload, 64)
	v.sc.Share(spans)
	t, err := v.s.Next()
	if err != nil || t.Kind != jsonscan.ObjectStart {
		return false
	}
	return v.object(func(key string, t jsonscan.Token) bool { return member(v, key, t) }) && v.atEOF()
}

// optStr reads a string that may be null (the body of an event without
// one) into *dst.
func (v *v2Scan) optStr(t jsonscan.Token, dst **string) bool {
	if t.Kind == jsonscan.Null {
		*dst = nil
		return true
	}
	var s string
	if !v.str(t, &s) {
		return false
	}
	*dst = &s
	return true
}

// body reads an event's body: in a payload over shareCopyMax, a string
// without escapes is left where it is, *raw a view of its bytes in the
// payload, for bodyOf to base64-decode from there (a binary body of
// megabytes is not copied only to be decoded) or to copy; else as
// optStr. Whichever it sets, it clears the other: a repeated key's last
// value wins.
func (v *v2Scan) body(t jsonscan.Token, dst **string, raw *[]byte) bool {
	*raw = nil
	if t.Kind == jsonscan.String && !t.Escaped && len(v.buf) > shareCopyMax {
		*dst, *raw = nil, v.buf[t.Start:t.End:t.End]
		return true
	}
	return v.optStr(t, dst)
}

// optObject reads an object that may be null into *dst, allocating it the
// first time (a repeated key merges into the first, as in encoding/json);
// member reads each of its members into it.
func optObject[T any](v *v2Scan, t jsonscan.Token, dst **T, member func(d *T, key string, t jsonscan.Token) bool) bool {
	if t.Kind == jsonscan.Null {
		*dst = nil
		return true
	}
	if t.Kind != jsonscan.ObjectStart {
		return false
	}
	if *dst == nil {
		*dst = new(T)
	}
	d := *dst
	return v.object(func(key string, t jsonscan.Token) bool { return member(d, key, t) })
}

// atEOF reports whether the document ends after the top-level object.
func (v *v2Scan) atEOF() bool {
	end, err := v.s.Next()
	return err == nil && end.Kind == jsonscan.EOF
}

type v2Scan struct {
	buf  []byte
	text string            // a copy of buf, when buf is at most shareCopyMax bytes
	s    *jsonscan.Scanner // &sc
	sc   jsonscan.Scanner
}

// shareCopyMax is the size up to which a payload is copied whole, once,
// and its keys and strings without escapes are substrings of that copy.
// A larger payload is mostly its body, and a body in a JSON string
// escapes its quotes and line ends (JSON and multipart bodies; some
// encoders also '<', '>' and '&'): it is unquoted into a string of its
// own, and a copy of the whole payload would hold its megabytes a second
// time for nothing. So in a larger payload each key and string is
// copied alone.
const shareCopyMax = 64 << 10

// sub returns buf[start:end] as a string that does not alias buf.
func (v *v2Scan) sub(start, end int) string {
	if len(v.buf) <= shareCopyMax {
		return v.text[start:end]
	}
	return string(v.buf[start:end])
}

// object calls member for each member of the object whose '{' was just
// read, with the key and the first token of the value; member must consume
// the whole value.
// optMembers reads a nullable object member by member: null is an absent
// object, anything but an object is a shape the fast path leaves alone.
func (v *v2Scan) optMembers(t jsonscan.Token, member func(key string, t jsonscan.Token) bool) bool {
	if t.Kind == jsonscan.Null {
		return true
	}
	if t.Kind != jsonscan.ObjectStart {
		return false
	}
	return v.object(member)
}

func (v *v2Scan) object(member func(key string, t jsonscan.Token) bool) bool {
	for {
		k, err := v.s.Next()
		if err != nil {
			return false
		}
		if k.Kind == jsonscan.ObjectEnd {
			return true
		}
		if k.Escaped {
			// encoding/json matches escaped and case-folded keys; leave
			// such oddities to it.
			return false
		}
		t, err := v.s.Next()
		if err != nil {
			return false
		}
		if !member(v.sub(k.Start, k.End), t) {
			return false
		}
	}
}

func (v *v2Scan) str(t jsonscan.Token, dst *string) bool {
	switch t.Kind {
	case jsonscan.Null:
		return true
	case jsonscan.String:
		if t.Escaped {
			*dst = jsonscan.UnquoteString(v.buf[t.Start:t.End])
		} else {
			*dst = v.sub(t.Start, t.End)
		}
		return true
	}
	return false
}

func (v *v2Scan) boolean(t jsonscan.Token, dst *bool) bool {
	switch t.Kind {
	case jsonscan.Null:
		return true
	case jsonscan.True, jsonscan.False:
		*dst = t.Kind == jsonscan.True
		return true
	}
	return false
}

func (v *v2Scan) strs(t jsonscan.Token, dst *[]string) bool {
	if t.Kind == jsonscan.Null {
		*dst = nil
		return true
	}
	if t.Kind != jsonscan.ArrayStart {
		return false
	}
	out := make([]string, 0, 4)
	for {
		e, err := v.s.Next()
		if err != nil {
			return false
		}
		if e.Kind == jsonscan.ArrayEnd {
			*dst = out
			return true
		}
		var s string
		if !v.str(e, &s) {
			return false
		}
		out = append(out, s)
	}
}

// skip consumes a value of a member the caller does not read. A key that
// matches one of the read fields only case-insensitively is one that
// encoding/json would read into that field: report it, to fall back.
func (v *v2Scan) skip(key string, t jsonscan.Token, fields ...string) bool {
	for _, f := range fields {
		if strings.EqualFold(key, f) {
			return false
		}
	}
	return v.s.Skip(t) == nil
}

// raw returns the bytes of the value starting at t, consuming it.
func (v *v2Scan) raw(t jsonscan.Token) ([]byte, bool) {
	start := t.Start
	if t.Kind == jsonscan.String {
		start--
	}
	if err := v.s.Skip(t); err != nil {
		return nil, false
	}
	end := v.s.Offset()
	if t.Kind != jsonscan.ObjectStart && t.Kind != jsonscan.ArrayStart {
		end = t.End
		if t.Kind == jsonscan.String {
			end++
		}
	}
	return v.buf[start:end], true
}

func (v *v2Scan) lists(t jsonscan.Token, lower bool, dst *map[string][]string) bool {
	if t.Kind == jsonscan.Null {
		*dst = nil
		return true
	}
	if t.Kind != jsonscan.ObjectStart {
		return false
	}
	raw, ok := v.raw(t)
	if !ok {
		return false
	}
	m, err := readStringLists(raw, lower)
	if err != nil {
		return false
	}
	*dst = m
	return true
}

// rawObject keeps an object (or null) as raw JSON, as json.RawMessage does.
func (v *v2Scan) rawObject(t jsonscan.Token, dst *[]byte) bool {
	raw, ok := v.raw(t)
	if !ok {
		return false
	}
	*dst = raw
	return true
}

func (v *v2Scan) context(t jsonscan.Token, rc *v2Context) bool {
	return v.optMembers(t, func(key string, t jsonscan.Token) bool {
		switch key {
		case "domainName":
			return v.str(t, &rc.DomainName)
		case "http":
			return v.optMembers(t, func(key string, t jsonscan.Token) bool {
				switch key {
				case "method":
					return v.str(t, &rc.HTTP.Method)
				case "path":
					return v.str(t, &rc.HTTP.Path)
				case "sourceIp":
					return v.str(t, &rc.HTTP.SourceIP)
				case "userAgent":
					return v.str(t, &rc.HTTP.UserAgent)
				}
				return v.skip(key, t, "method", "path", "sourceIp", "userAgent")
			})
		case "authorizer":
			return v.authorizer(t, &rc.Authorizer)
		}
		return v.skip(key, t, "domainName", "http", "authorizer")
	})
}

func (v *v2Scan) authorizer(t jsonscan.Token, dst **v2Authorizer) bool {
	return optObject(v, t, dst, func(a *v2Authorizer, key string, t jsonscan.Token) bool {
		switch key {
		case "jwt":
			if t.Kind == jsonscan.Null {
				a.JWT = nil
				return true
			}
			if t.Kind != jsonscan.ObjectStart {
				return false
			}
			if a.JWT == nil {
				a.JWT = &v2JWT{}
			}
			return v.object(func(key string, t jsonscan.Token) bool {
				switch key {
				case "claims":
					return v.rawObject(t, (*[]byte)(&a.JWT.Claims))
				case "scopes":
					return v.strs(t, &a.JWT.Scopes)
				}
				return v.skip(key, t, "claims", "scopes")
			})
		case "lambda":
			return v.rawObject(t, (*[]byte)(&a.Lambda))
		case "iam":
			return v.iam(t, &a.IAM)
		}
		return v.skip(key, t, "jwt", "lambda", "iam")
	})
}

// iam reads the IAM authorizer description (Function URLs with AWS_IAM
// auth, IAM-authorised HTTP API routes).
func (v *v2Scan) iam(t jsonscan.Token, dst **events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription) bool {
	return optObject(v, t, dst, func(d *events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription, key string, t jsonscan.Token) bool {
		switch key {
		case "accessKey":
			return v.str(t, &d.AccessKey)
		case "accountId":
			return v.str(t, &d.AccountID)
		case "callerId":
			return v.str(t, &d.CallerID)
		case "principalOrgId":
			return v.str(t, &d.PrincipalOrgID)
		case "userArn":
			return v.str(t, &d.UserARN)
		case "userId":
			return v.str(t, &d.UserID)
		case "cognitoIdentity":
			if t.Kind == jsonscan.Null {
				return true
			}
			if t.Kind != jsonscan.ObjectStart {
				return false
			}
			ci := &d.CognitoIdentity
			return v.object(func(key string, t jsonscan.Token) bool {
				switch key {
				case "amr":
					return v.strs(t, &ci.AMR)
				case "identityId":
					return v.str(t, &ci.IdentityID)
				case "identityPoolId":
					return v.str(t, &ci.IdentityPoolID)
				}
				return v.skip(key, t, "amr", "identityId", "identityPoolId")
			})
		}
		return v.skip(key, t, "accessKey", "accountId", "callerId", "principalOrgId", "userArn", "userId", "cognitoIdentity")
	})
}
