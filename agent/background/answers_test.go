package background

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestAnswersWaitSeesAnswersInEitherOrder(t *testing.T) {
	a := NewAnswers()
	a.Answered("before")
	if !a.Wait(context.Background(), "before") {
		t.Fatal("an answer posted before Wait was missed")
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		a.Answered("after")
	}()
	if !a.Wait(context.Background(), "after") {
		t.Fatal("an answer posted during Wait was missed")
	}
	a.Answered("twice")
	a.Answered("twice") // must not panic on a closed channel
}

func TestAnswersWaitEndsWithItsContext(t *testing.T) {
	a := NewAnswers()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if a.Wait(ctx, "never") {
		t.Fatal("Wait reported an answer that never came")
	}
	if len(a.chans) != 0 || len(a.order) != 0 {
		t.Fatalf("an abandoned wait left state behind: %d %d", len(a.chans), len(a.order))
	}
}

func TestAnswersRemembersABoundedNumber(t *testing.T) {
	a := NewAnswers()
	for i := range 10 * maxAnswers {
		a.Answered(fmt.Sprint(i))
	}
	if len(a.chans) != maxAnswers || len(a.order) != maxAnswers {
		t.Fatalf("remembered %d/%d answers, want %d", len(a.chans), len(a.order), maxAnswers)
	}
	if !a.Wait(context.Background(), fmt.Sprint(10*maxAnswers-1)) {
		t.Fatal("the latest answer was forgotten")
	}
}
