package html

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// rawTextElements are the elements whose content the HTML parser reads as
// text up to their own end tag: a value echoed inside one ends it with
// that end tag, and what follows is markup again.
var rawTextElements = [...]string{"script", "style", "title", "textarea", "xmp", "noscript", "noembed", "noframes", "iframe"}

// RawTextClose reports where s (lower-cased) ends a raw-text element the
// page opened around it: the value opens, after at most the quotes and
// closers of a breakout ('">), with the end tag of one of
// rawTextElements ("</script>", "'</textarea>"), or -1. An end tag
// in a sentence ("the </script> tag") is a mention; a value that starts
// with one is written to be echoed inside that element, since no text,
// document or fragment a person writes opens so.
func RawTextClose(s string) int {
	i := 0
	for i < len(s) && i < 4 && strings.IndexByte("\"'`>;)]} \t\r\n", s[i]) >= 0 {
		i++
	}
	if !strings.HasPrefix(s[i:], "</") {
		return -1
	}
	j := i + 2
	k := j
	for k < len(s) && lex.IsAlpha(s[k]) {
		k++
	}
	if k < len(s) && s[k] != '>' && s[k] != '/' && !lex.IsSpace(s[k]) {
		return -1
	}
	for _, name := range rawTextElements {
		if s[j:k] == name {
			return i
		}
	}
	return -1
}
