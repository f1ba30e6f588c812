package kind

import "fmt"

// Printer formats the messages of error kinds. Upstream takes
// golang.org/x/text/message's Printer, for translations; the agent only
// prints English, and x/text's language and plural tables were 300 KB of
// the extension's binary, initialised before its first event/next, which
// Lambda counts as cold start. Numbers print as fmt prints them (4096, not
// x/text's English 4,096).
type Printer struct{}

// Sprintf formats like fmt.Sprintf.
func (*Printer) Sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
