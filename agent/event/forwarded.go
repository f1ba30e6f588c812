package event

import "strings"

// ForwardedFor returns the X-Forwarded-For chain, first (client-supplied)
// hop first, with every header line and comma-separated entry split out and
// trimmed. Only the last entries, added by infrastructure the operator
// trusts, are reliable.
func (r *Request) ForwardedFor() []string {
	lines := r.Headers["x-forwarded-for"]
	if len(lines) == 0 {
		return nil
	}
	var hops []string
	for _, line := range lines {
		for hop := range strings.SplitSeq(line, ",") {
			if hop = strings.TrimSpace(hop); hop != "" {
				hops = append(hops, hop)
			}
		}
	}
	return hops
}
