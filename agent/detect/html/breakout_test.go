package html

import "testing"

func TestRawTextCloseFindsAValueThatOpensWithARawTextEndTag(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"</script>", 0},
		{"</style>", 0},
		{"</script> %>/", 0},
		{"'</textarea><b>", 1},
		{"\"></title>", 2},
		{"</script/x>", 0},
		{"</ script>", -1},
		{"</scripts>", -1},
		{"</body>", -1},
		{"</p><p>next</p>", -1},
		{"the </script> tag ends the block", -1},
		{"<script>x</script>", -1},
		{"", -1},
		{"</", -1},
	} {
		if got := RawTextClose(c.s); got != c.want {
			t.Errorf("RawTextClose(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}
