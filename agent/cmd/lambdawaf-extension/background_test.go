package main

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/background"
	"github.com/lambdawaf/lambdawaf/agent/lifecycle"
	"github.com/lambdawaf/lambdawaf/agent/proxy"
)

func TestAfterInvocationRunsBackgroundWorkOnlyOnceAnswered(t *testing.T) {
	p, err := proxy.New("127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	work := background.New(background.Options{})
	var ran atomic.Int32
	if err := work.Add(background.Task{Name: "t", Interval: time.Nanosecond, Run: func(context.Context) error { ran.Add(1); return nil }}); err != nil {
		t.Fatal(err)
	}
	answers := background.NewAnswers()
	far := time.Now().Add(time.Minute).UnixMilli()

	tests := []struct {
		name     string
		event    lifecycle.Event
		answer   bool // the proxy reports the answer after 50 ms
		wantRuns int32
		maxTook  time.Duration
	}{
		{"answered invocation", lifecycle.Event{EventType: lifecycle.Invoke, RequestID: "a", DeadlineMs: far}, true, 1, time.Second},
		// Never fetched by the proxy: the runtime bypasses the agent, no
		// answer will come; give up after bypassGrace.
		{"bypassed invocation", lifecycle.Event{EventType: lifecycle.Invoke, RequestID: "b", DeadlineMs: far}, false, 0, bypassGrace + time.Second},
		{"deadline near", lifecycle.Event{EventType: lifecycle.Invoke, RequestID: "c", DeadlineMs: time.Now().Add(150 * time.Millisecond).UnixMilli()}, false, 0, bypassGrace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran.Store(0)
			start := time.Now()
			if tt.answer {
				time.AfterFunc(50*time.Millisecond, func() { answers.Answered(tt.event.RequestID) })
			}
			afterInvocation(context.Background(), p, answers, work, &tt.event)
			took := time.Since(start)
			if ran.Load() != tt.wantRuns {
				t.Errorf("task ran %d times, want %d", ran.Load(), tt.wantRuns)
			}
			if tt.answer && took < 50*time.Millisecond {
				t.Errorf("window opened after %v, before the answer", took)
			}
			if took > tt.maxTook {
				t.Errorf("window took %v, want at most %v", took, tt.maxTook)
			}
		})
	}
}
