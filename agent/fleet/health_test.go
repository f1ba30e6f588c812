package fleet

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// scriptedTable answers UpdateItem with the next scripted outcome; a call
// may also move the clock, as a freeze in the middle of a sync would.
type scriptedTable struct {
	clock    *time.Time
	outcomes []scripted
	total    int64
}

type scripted struct {
	err    error
	freeze time.Duration
}

func (s *scriptedTable) GetItem(context.Context, *GetItemInput) (*GetItemOutput, error) {
	return &GetItemOutput{}, nil
}

func (s *scriptedTable) UpdateItem(_ context.Context, in *UpdateItemInput) (*UpdateItemOutput, error) {
	o := s.outcomes[0]
	s.outcomes = s.outcomes[1:]
	*s.clock = s.clock.Add(o.freeze)
	if o.err != nil {
		return nil, o.err
	}
	d, _ := intAttr(in.ExpressionAttributeValues, ":d")
	s.total += d
	return &UpdateItemOutput{Attributes: map[string]AttributeValue{AttrCount: number(s.total)}}, nil
}

func TestDegradationIsLoggedOncePerIntervalAndFreezesAreNotOutages(t *testing.T) {
	down := errors.New("connection refused")
	tests := []struct {
		name         string
		outcomes     []scripted
		wantDegraded []bool
		wantWarn     int
		wantRecover  int
	}{
		{"outage then recovery", []scripted{{err: down}, {err: down}, {err: down}, {}},
			[]bool{true, true, true, false}, 1, 1},
		{"flapping table", []scripted{{err: down}, {}, {err: down}, {}},
			[]bool{true, false, true, false}, 1, 1},
		{"sync frozen with the environment", []scripted{{err: context.DeadlineExceeded, freeze: 10 * time.Minute}, {}},
			[]bool{false, false}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(1_900_000_000, 0)
			api := &scriptedTable{clock: &now, outcomes: tt.outcomes}
			var logs bytes.Buffer
			s, err := New(Options{
				Table:  &Table{API: api, Name: "t", Group: "g"},
				Limits: []Limit{{ID: "api", Limit: 1000, Window: time.Hour}},
				Key:    func() ([]byte, bool) { return []byte("0123456789abcdef0123456789abcdef"), true },
				Now:    func() time.Time { return now },
				Logger: zerolog.New(&logs),
			})
			if err != nil {
				t.Fatal(err)
			}
			admitted := int64(0)
			for i, want := range tt.wantDegraded {
				if s.Allow(0, "k").Allowed {
					admitted++
				}
				_ = s.Sync(context.Background())
				if s.Degraded() != want {
					t.Errorf("after sync %d: degraded %v, want %v", i, s.Degraded(), want)
				}
				now = now.Add(time.Second)
			}
			out := logs.String()
			if n := strings.Count(out, "fleet state unreachable"); n != tt.wantWarn {
				t.Errorf("%d degradation lines, want %d:\n%s", n, tt.wantWarn, out)
			}
			if n := strings.Count(out, "reachable again"); n != tt.wantRecover {
				t.Errorf("%d recovery lines, want %d:\n%s", n, tt.wantRecover, out)
			}
			// Every admission was reported in the end (the debt of failed
			// syncs is kept), plus what was leased.
			if api.total < admitted {
				t.Errorf("table counted %d, fewer than the %d admitted", api.total, admitted)
			}
		})
	}
}
