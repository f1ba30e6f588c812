package leak

import (
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		name string
		text string
		kind Kind
		want []string // the matched substrings, in order
	}{
		{"visa", `card 4111111111111111 ok`, Card, []string{"4111111111111111"}},
		{"visa spaced", `card: 4111 1111 1111 1111.`, Card, []string{"4111 1111 1111 1111"}},
		{"amex dashed", `"3782-822463-10005"`, Card, []string{"3782-822463-10005"}},
		{"mastercard 2-series", `n=2223003122003222&x`, Card, []string{"2223003122003222"}},
		{"luhn fails", `4111111111111112`, Card, nil},
		{"unknown issuer", `1234567812345670`, Card, nil},
		{"inside a longer number", `41111111111111110000`, Card, nil},
		{"decimal fraction", `0.4111111111111111`, Card, nil},
		{"glued to letters", `id4111111111111111`, Card, nil},
		{"mixed separators", `4111 1111-1111 1111`, Card, nil},
		{"ssn", `SSN 536-90-4399.`, SSN, []string{"536-90-4399"}},
		{"ssn area 000", `000-12-3456`, SSN, nil},
		{"ssn area 666", `666-12-3456`, SSN, nil},
		{"ssn area 9xx", `900-12-3456`, SSN, nil},
		{"ssn group 00", `536-00-4399`, SSN, nil},
		{"ssn serial 0000", `536-90-0000`, SSN, nil},
		{"ssn advertising", `078-05-1120`, SSN, nil},
		{"ssn phone-like", `555-123-4567`, SSN, nil},
		{"cpf", `cpf 529.982.247-25`, CPF, []string{"529.982.247-25"}},
		{"cpf bad check", `529.982.247-26`, CPF, nil},
		{"cpf repeated", `111.111.111-11`, CPF, nil},
		{"dni", `DNI 12345678Z`, SpanishID, []string{"12345678Z"}},
		{"dni wrong letter", `12345678A`, SpanishID, nil},
		{"nie", `NIE X1234567L`, SpanishID, []string{"X1234567L"}},
		{"aws access key", `key=AKIAIOSFODNN7EXAMPLE;`, AWSAccessKey, []string{"AKIAIOSFODNN7EXAMPLE"}},
		{"aws temp key", `"ASIAY34FZKBOKMUTVV7A"`, AWSAccessKey, []string{"ASIAY34FZKBOKMUTVV7A"}},
		{"aws key lowercase", `akiaiosfodnn7example`, AWSAccessKey, nil},
		{"aws key glued", `AKIAIOSFODNN7EXAMPLEX`, AWSAccessKey, []string{"AKIAIOSFODNN7EXAMPLE"}},
		{"aws secret key", `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`, AWSSecretKey, []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
		{"40 chars without context", `sha: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`, AWSSecretKey, nil},
		{"json password", `{"user":"bob","password":"hunter2"}`, Secret, []string{"hunter2"}},
		{"escaped json password", `{\"password\":\"hunter2\"}`, Secret, []string{"hunter2"}},
		{"form password", `user=bob&password=hunter2&x=1`, Secret, []string{"hunter2"}},
		{"header api key", "X-Api-Key: abcdef123456\n", Secret, []string{"abcdef123456"}},
		{"client secret", `client_secret='s3cr3t!'`, Secret, []string{"s3cr3t!"}},
		{"secret reference is not a secret", `"secretId":"prod/db"`, Secret, nil},
		{"password policy", `"passwordPolicy":"strong"`, Secret, nil},
		{"null password", `"password": null`, Secret, nil},
		{"prose", `the password is long`, Secret, nil},
		{"jwt", `token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU ok`, JWT, []string{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU"}},
		{"not a jwt", `eyJhbGciOiJIUzI1NiJ9 alone`, JWT, nil},
		{"bearer", `Authorization: Bearer abc.def-ghi_123`, BearerToken, []string{"abc.def-ghi_123"}},
		{"bearer short", `bearer x`, BearerToken, nil},
		{"url password", `postgres://app:s3cret@db.internal:5432/x`, URLPassword, []string{"s3cret"}},
		{"url without password", `https://user@example.com/`, URLPassword, nil},
		{"private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\nafter", PrivateKey, []string{"-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"}},
		{"public key is fine", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", PrivateKey, nil},
		{"go panic", "panic: runtime error: index out of range\n\ngoroutine 1 [running]:\nmain.main()\n\t/var/task/main.go:12 +0x1d\n", StackTrace,
			[]string{"panic: runtime error: index out of range", "goroutine 1 [running]:", "\t/var/task/main.go:12 +0x1d"}},
		{"java", "Exception in thread \"main\" java.lang.NullPointerException\n\tat com.acme.App.run(App.java:42)\n", StackTrace,
			[]string{"Exception in thread \"main\" java.lang.NullPointerException", "\tat com.acme.App.run(App.java:42)"}},
		{"python", "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 3, in handler\nKeyError: 'x'", StackTrace,
			[]string{"Traceback (most recent call last):", "  File \"/var/task/app.py\", line 3, in handler"}},
		{"node", "TypeError: x is undefined\n    at Object.handler (/var/task/index.js:3:9)\n", StackTrace,
			[]string{"    at Object.handler (/var/task/index.js:3:9)"}},
		{"node in json string", `{"stack":"Error: boom\n    at f (/var/task/index.js:3:9)\n    at g"}`, StackTrace,
			[]string{"    at f (/var/task/index.js:3:9)"}},
		{"file name in prose", "see main.go:12 for details", StackTrace, nil},
		{"mysql", "Error: You have an error in your SQL syntax; check the manual near ''' at line 1\nok", DBError,
			[]string{"Error: You have an error in your SQL syntax; check the manual near ''' at line 1"}},
		{"postgres", `pq: syntax error at or near "'"`, DBError, []string{`pq: syntax error at or near "'"`}},
		{"sql server", "Unclosed quotation mark after the character string ''.", DBError, []string{"Unclosed quotation mark after the character string ''."}},
		{"oracle", "ORA-01756: quoted string not properly terminated", DBError, []string{"ORA-01756: quoted string not properly terminated"}},
		{"oracle-like word", "FLORA-12345 is a plant", DBError, nil},
		{"sqlite", `sqlite3.OperationalError: near "x": syntax error`, DBError, []string{`sqlite3.OperationalError: near "x": syntax error`}},
		{"benign", `{"orders":[{"id":12345,"total":"19.99","sku":"ABC-123"}],"ts":1700000000000}`, All, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, safe := Find([]byte(tt.text), tt.kind, true)
			if safe != len(tt.text) {
				t.Errorf("safe = %d at EOF, want %d", safe, len(tt.text))
			}
			var spans []string
			for _, f := range got {
				if f.Kind&tt.kind == 0 {
					t.Errorf("finding of kind %v, asked for %v", f.Kind, tt.kind)
				}
				spans = append(spans, tt.text[f.Start:f.End])
			}
			if strings.Join(spans, "\x00") != strings.Join(tt.want, "\x00") {
				t.Errorf("Find(%q) = %q, want %q", tt.text, spans, tt.want)
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`card 4111 1111 1111 1111 end`, `card **** **** **** 1111 end`},
		{`{"ssn":"536-90-4399"}`, `{"ssn":"***-**-****"}`},
		{`AKIAIOSFODNN7EXAMPLE`, `AKIA****************`},
		{`{"password":"hunter2","n":1}`, `{"password":"[secret redacted]","n":1}`},
		{"ORA-00933: SQL command not properly ended\nnext", "[database error redacted]\nnext"},
	}
	for _, tt := range tests {
		f, _ := Find([]byte(tt.in), All, true)
		if got := string(Mask([]byte(tt.in), f)); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScrub(t *testing.T) {
	in := `Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl and https://u:pw@h/ 4111111111111111 AKIAIOSFODNN7EXAMPLE`
	got := Scrub(in)
	for _, secret := range []string{"eyJhbGci", ":pw@", "4111111111111111", "AKIAIOSFODNN7EXAMPLE"} {
		if strings.Contains(got, secret) {
			t.Errorf("Scrub left %q in %q", secret, got)
		}
	}
	if Scrub("plain text") != "plain text" {
		t.Error("Scrub changed benign text")
	}
}

// TestFindStreaming feeds text in every chunk size and checks the findings
// are the same as in one piece: constructs split across chunks are held
// back, never missed.
func TestFindStreaming(t *testing.T) {
	text := strings.Repeat("x", 50) + " card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPLE, ssn 536-90-4399 " +
		strings.Repeat("y ", 40) + "\npq: syntax error at or near \"x\"\n-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\nend"
	whole, _ := Find([]byte(text), All, true)
	want := string(Mask([]byte(text), whole))
	for chunk := 1; chunk <= 40; chunk++ {
		var out strings.Builder
		var carry []byte
		for pos := 0; pos < len(text) || len(carry) > 0; {
			end := min(pos+chunk, len(text))
			buf := append(carry, text[pos:end]...)
			pos = end
			atEOF := pos == len(text)
			f, safe := Find(buf, All, atEOF)
			out.Write(Mask(buf[:safe], f))
			carry = append([]byte(nil), buf[safe:]...)
			if atEOF {
				break
			}
		}
		if out.String() != want {
			t.Fatalf("chunk %d:\n got %q\nwant %q", chunk, out.String(), want)
		}
	}
}

func TestKindString(t *testing.T) {
	for _, kn := range kindNames {
		k, ok := ParseKind(kn.k.String())
		if !ok || k != kn.k {
			t.Errorf("ParseKind(%q) = %v, %v", kn.k.String(), k, ok)
		}
	}
}

func FuzzFind(f *testing.F) {
	f.Add([]byte("4111 1111 1111 1111 AKIAIOSFODNN7EXAMPLE password=x"), 7)
	f.Fuzz(func(t *testing.T, b []byte, cut int) {
		all, safe := Find(b, All, true)
		if safe != len(b) {
			t.Fatalf("safe %d != %d", safe, len(b))
		}
		last := 0
		for _, x := range all {
			if x.Start < last || x.End > len(b) || x.Start >= x.End {
				t.Fatalf("bad finding %+v", x)
			}
			last = x.End
		}
		if cut < 0 {
			cut = -cut
		}
		if len(b) > 0 {
			cut %= len(b) + 1
			_, s := Find(b[:cut], All, false)
			if s < 0 || s > cut {
				t.Fatalf("safe %d out of [0,%d]", s, cut)
			}
		}
	})
}

func TestRelease(t *testing.T) {
	tests := []struct {
		text string
		safe int // bytes releasable now
	}{
		{"chunk-1\n", 8},
		{"data: hello\n\n", 13},
		{"card 4111 1111 ", 5},                       // a card number may continue
		{"card 4111", 5},                             // digits touching the end
		{"key AKIAIOSF", 4},                          // a key id in progress
		{"password=", 0},                             // a credential name waiting for its value
		{"total 12.50 EUR\n", 16},                    // nothing incomplete
		{"order 1234567890 ok", 17},                  // a complete number; "ok" may go on
		{"aws_secret_access_key = wJalrXUtnFEMI", 0}, // a secret key in progress keeps its context
	}
	for _, tt := range tests {
		_, safe := Release([]byte(tt.text), All)
		if safe != tt.safe {
			t.Errorf("Release(%q) safe = %d, want %d", tt.text, safe, tt.safe)
		}
	}
}
