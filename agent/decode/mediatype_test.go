package decode

import (
	"io"
	"mime/multipart"
	"strings"
	"testing"
)

// TestFormNameMatchesMultipart: the field name the walker takes from its
// own reading of a part's Content-Disposition is the one mime/multipart's
// Part.FormName gives a Go handler, for well-formed, odd and broken
// headers.
func TestFormNameMatchesMultipart(t *testing.T) {
	headers := []string{
		`form-data; name="f"`, `form-data; name=f`, `Form-Data; NAME="f"`, `form-data; name="f"; filename="a.txt"`,
		`form-data; name*=UTF-8''%66%6f`, `form-data; name*0="a"; name*1="b"`, `attachment; name="f"`,
		`form-data; name="f"; name="g"`, `form-data; xname="x"; name="n"`, `form-data; name="a\"b"`,
		`form-data; name=`, `form-data; name="unterminated`, `form-data;; name="f"`, `form-data`, ``,
		`form-data; filename*=UTF-8''..%2F..%2Fx; name="f"`, `form-data ; name = "f"`, `form-data; name="é"`,
	}
	for _, h := range headers {
		body := "--B\r\nContent-Disposition: " + h + "\r\n\r\nv\r\n--B--\r\n"
		if h == "" {
			body = "--B\r\n\r\nv\r\n--B--\r\n"
		}
		p, err := multipart.NewReader(strings.NewReader(body), "B").NextPart()
		if err != nil {
			t.Fatalf("%q: %v", h, err)
		}
		want := p.FormName()
		_, _ = io.Copy(io.Discard, p)
		if got := parseHeaderParams(p.Header.Get("Content-Disposition")).formName(); got != want {
			t.Errorf("%q: formName %q, Part.FormName %q", h, got, want)
		}
	}
}
