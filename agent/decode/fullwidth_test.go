package decode

import (
	"slices"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/event"
)

// TestFullwidthFormsAreFolded: a value written in the fullwidth forms of
// ASCII is also read folded to ASCII, as NFKC normalization and
// best-fit code page conversion read it.
func TestFullwidthFormsAreFolded(t *testing.T) {
	vals, _ := walk(t, New(Limits{}), &event.Request{ContentType: "application/json", Body: []byte(`{"q":"１＇ ＯＲ ＇１＇＝＇１"}`)})
	if v := find(t, vals, "body.q", "1' OR '1'='1"); !slices.Equal(v.Decoded, []string{EncFullwidth}) {
		t.Errorf("decoded %v", v.Decoded)
	}
	for _, c := range []struct {
		in, want string
		changed  bool
	}{
		{"．．／ｅｔｃ", "../etc", true},
		{"日本語\u3000テスト", "日本語 テスト", true},
		{"価格（税込）", "価格(税込)", true},
		{"plain ascii", "plain ascii", false},
		{"日本語のテキスト", "日本語のテキスト", false},
	} {
		got, changed := fullwidthFold(c.in)
		if got != c.want || changed != c.changed {
			t.Errorf("fullwidthFold(%q) = %q, %v; want %q, %v", c.in, got, changed, c.want, c.changed)
		}
	}
}
