package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/firewall"
	"github.com/lambdawaf/lambdawaf/agent/policy"
)

// maxEventSize is Lambda's synchronous payload limit, with room to spare:
// a larger file is not an event Lambda could deliver.
const maxEventSize = 7 << 20

// eventFiles expands the arguments into event files: files as given,
// directories walked for *.json, in a stable order.
func eventFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("event corpus: %w", err)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".json") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("event corpus %s: %w", a, err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func readEvent(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxEventSize {
		return nil, fmt.Errorf("%s: %d bytes is larger than any Lambda event", path, st.Size())
	}
	return os.ReadFile(path)
}

// openFirewall builds the firewall the agent would run for a configuration
// path ("" = built-in defaults). mode overrides the document's mode as
// LAMBDAWAF_MODE would; at, when non-zero, is the clock (rule expiry).
func openFirewall(path, mode string, at time.Time) (*firewall.Firewall, error) {
	opts := firewall.Options{}
	if mode != "" {
		m, ok := policy.ParseMode(mode)
		if !ok {
			return nil, fmt.Errorf("-mode: expected block, log or off, got %q", mode)
		}
		opts.Mode = m
	}
	if !at.IsZero() {
		opts.Now = func() time.Time { return at }
	}
	p := policy.Default()
	if path != "" {
		var err error
		if p, err = policy.Load(path); err != nil {
			return nil, err
		}
	}
	opts.CompleteWalk = true // every finding, for tuning
	return firewall.New(p, opts), nil
}

func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("-at: expected an RFC 3339 time such as 2027-01-01T00:00:00Z, got %q", s)
	}
	return t, nil
}

// judgeFile judges one event file. A malformed event is not an error: the
// agent passes it, and the decision says so.
func judgeFile(ctx context.Context, fw *firewall.Firewall, path string) (*firewall.Decision, error) {
	payload, err := readEvent(path)
	if err != nil {
		return nil, err
	}
	d, _ := fw.Judge(ctx, payload)
	return d, nil
}

// reasonsText renders a decision's reasons compactly and stably.
func reasonsText(d *firewall.Decision) []string {
	out := make([]string, 0, len(d.Reasons))
	for _, r := range d.Reasons {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s", r.Action, r.Kind)
		if r.Class != "" {
			fmt.Fprintf(&b, " %s", r.Class)
		}
		fmt.Fprintf(&b, " %s", r.ID)
		if r.Location != "" {
			fmt.Fprintf(&b, " at %s", r.Location)
		}
		if r.Record >= 0 {
			fmt.Fprintf(&b, " (record %d)", r.Record)
		}
		if r.Message != "" && r.Kind != policy.ReasonRule {
			fmt.Fprintf(&b, ": %s", r.Message)
		}
		out = append(out, b.String())
	}
	sort.Strings(out)
	return out
}
