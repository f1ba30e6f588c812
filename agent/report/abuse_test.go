package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestAbuseSectionAggregatesCounterReasons(t *testing.T) {
	a1, a2, a3 := record(1, "block"), record(2, "block"), record(4, "log")
	a1.Reasons = []string{"login:stuffing:block:count=20/20:window=10m0s:retry=900s"}
	a2.Reasons = []string{"login:stuffing:block:count=23/20:window=10m0s:retry=880s"}
	a3.Reasons = []string{"responses:scanning:log:count=120/100:window=1m0s:retry=60s", "signal:sqli-libinjection:block:sqli@query.q"}
	er := record(3, "block")
	er.Reasons = []string{"error-ratio:orders-5xx:block:count=11/5:window=1m0s:retry=599s"}
	rl := record(5, "block")
	rl.Reasons = []string{"rate-limit:api:block:fleet=1043:window=10s:retry=3s"}
	in, err := Read(strings.NewReader(lines(t, a1, a2, a3, er, rl, record(6, "allow"))))
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(in, Options{Now: t0})
	if len(s.Abuse) != 4 {
		t.Fatalf("rows %+v, want 4", s.Abuse)
	}
	st := s.Abuse[0]
	if st.Reason != "login:stuffing:block" || st.Requests != 2 || st.Sources != 2 || st.Count != 23 || st.Threshold != 20 || st.Window != "10m0s" || !st.First.Equal(a1.Time) || !st.Last.Equal(a2.Time) {
		t.Errorf("stuffing row %+v", st)
	}
	var fleet *Abuse
	for i := range s.Abuse {
		if s.Abuse[i].Reason == "rate-limit:api:block" {
			fleet = &s.Abuse[i]
		}
	}
	if fleet == nil || fleet.Count != 1043 || fleet.Threshold != 0 {
		t.Errorf("rate limit row %+v", fleet)
	}
	var page bytes.Buffer
	if err := Write(&page, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Account takeover, scanning and rate limits", "login:stuffing:block", "23 / 20", "1043 (group)", "responses:scanning:log", "error-ratio:orders-5xx:block", "11 / 5"} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
