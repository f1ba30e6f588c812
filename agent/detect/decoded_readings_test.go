package detect

import (
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/decode"
	"github.com/lambdawaf/lambdawaf/agent/event"
)

// judgeWalk judges every value the decoder yields for req, as the
// firewall does: the decoder owns every decoding, the engine judges each
// reading as it comes.
func judgeWalk(t *testing.T, e *Engine, req *event.Request) []Signal {
	t.Helper()
	var sigs []Signal
	if err := decode.New(decode.Limits{}).Walk(req, func(v event.Value) bool {
		sigs = e.Inspect(v, sigs)
		return true
	}); err != nil && err.(*decode.Error).Limited() {
		t.Fatalf("walk: %v", err)
	}
	return sigs
}

// TestReadingsOfTheDecoderAreJudged holds values whose attack shows only
// in a reading the decoder makes (percent escapes in a cookie or its
// name, script escapes in a JSON string, a body in UTF-7, a form's '+'
// for blanks after two layers of URL encoding), beside the look-alikes
// whose readings stay benign.
func TestReadingsOfTheDecoderAreJudged(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		name   string
		req    *event.Request
		attack bool
	}{
		{"percent-encoded command in a cookie", &event.Request{Trigger: event.APIGatewayHTTP, Cookies: map[string][]string{"pref": {"cat%20%2Fetc%2Fpasswd%20now%20please%20thanks"}}}, true},
		// cookie names, which PHP decodes
		{"percent-encoded markup in a cookie name", &event.Request{Trigger: event.APIGatewayHTTP, Cookies: map[string][]string{`%3Cv%3Avmlframe%20src%3D%22foo.com%2Fsup.fml%22%2F%3E`: {"1"}}}, true},
		{"percent-encoded style URL in a cookie name", &event.Request{Trigger: event.APIGatewayHTTP, Cookies: map[string][]string{`%3Cp%20style%3D%22background%3Aurl(javascript%3Aalert(1))%22%3E`: {"1"}}}, true},
		{"percent-encoded blank in a cookie name", &event.Request{Trigger: event.APIGatewayHTTP, Cookies: map[string][]string{"pref%20lang": {"en"}}}, false},
		{"percent-encoded sentence in a cookie", &event.Request{Trigger: event.APIGatewayHTTP, Cookies: map[string][]string{"pref": {"The%20log%20file%20%2Fvar%2Flog%2Fapp.log%20stays%20empty"}}}, false},
		{"script escapes in a JSON string", jsonBody(`{"foo":"c\\u006fnsole.info(1)"}`), true},
		{"hex escapes in a JSON string", jsonBody(`{"q":"\\x3csvg onload=alert(1)\\x3e"}`), true},
		{"an escaped letter in prose", jsonBody(`{"q":"the letter \\u0041 is A"}`), false},
		{"markup in a UTF-7 body", &event.Request{Trigger: event.APIGatewayHTTP, Method: "POST", ContentType: "application/json; charset=utf-7", Body: []byte(`{"q":"+ADw-script+AD4-alert(1)+ADw-/script+AD4-"}`)}, true},
		{"a form in UTF-7, its fields decoded with the charset", &event.Request{Trigger: event.APIGatewayHTTP, Method: "POST", ContentType: "application/x-www-form-urlencoded; charset=utf-7", Body: []byte("id=1%2BACc-+OR+%2BACc-1%2BACc-%2BAD0-%2BACc-1")}, true},
		{"the same form without the charset", &event.Request{Trigger: event.APIGatewayHTTP, Method: "POST", ContentType: "application/x-www-form-urlencoded", Body: []byte("id=1%2BACc-+OR+%2BACc-1%2BACc-%2BAD0-%2BACc-1")}, false},
		{"pluses in prose", jsonBody(`{"q":"C++ and Objective-C+Apple+Android"}`), false},
		{"form text encoded twice", &event.Request{Trigger: event.APIGatewayHTTP, RawQuery: "id=1%2527%252Bor%252B1%253D1--%252B"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := judgeWalk(t, e, tt.req)
			attack := false
			for _, s := range sigs {
				attack = attack || s.Class.IsAttack()
			}
			if attack != tt.attack {
				t.Errorf("attack = %v, want %v: %s", attack, tt.attack, classes(sigs))
			}
		})
	}
}

func jsonBody(s string) *event.Request {
	return &event.Request{Trigger: event.APIGatewayHTTP, Method: "POST", ContentType: "application/json", Body: []byte(s)}
}
