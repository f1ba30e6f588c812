package procs

import (
	"runtime"
	"testing"
)

// keep restores GOMAXPROCS after a test that changes it.
func keep(t *testing.T) {
	n := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(n) })
}

func TestNarrowLeavesTheOperatorsSettingAndManagedInstancesAlone(t *testing.T) {
	keep(t)
	runtime.GOMAXPROCS(4)
	for _, c := range []struct {
		name         string
		set, managed bool
		want         int
		wantProcsNil bool
	}{
		{"GOMAXPROCS set by the operator", true, false, 4, true},
		{"Managed Instances", false, true, 4, true},
		{"classic mode", false, false, 1, false},
	} {
		runtime.GOMAXPROCS(4)
		p := Narrow(c.set, c.managed)
		if got := runtime.GOMAXPROCS(0); got != c.want || (p == nil) != c.wantProcsNil {
			t.Errorf("%s: GOMAXPROCS %d (want %d), setting nil %v", c.name, got, c.want, p == nil)
		}
	}
	runtime.GOMAXPROCS(1)
	if p := Narrow(false, false); p != nil {
		t.Error("one core: narrowed anyway")
	}
}

func TestWidenGivesEveryCoreWhileALargeEventIsJudged(t *testing.T) {
	keep(t)
	runtime.GOMAXPROCS(4)
	p := Narrow(false, false)
	small := p.Widen(1 << 10)
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Fatalf("small event: GOMAXPROCS %d, want 1", got)
	}
	small()
	first := p.Widen(LargeEvent)
	second := p.Widen(6 << 20) // judged at the same time
	if got := runtime.GOMAXPROCS(0); got != 4 {
		t.Fatalf("large events: GOMAXPROCS %d, want 4", got)
	}
	first()
	first() // restoring twice counts once
	if got := runtime.GOMAXPROCS(0); got != 4 {
		t.Fatalf("one large event still judged: GOMAXPROCS %d, want 4", got)
	}
	second()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Fatalf("no large event left: GOMAXPROCS %d, want 1", got)
	}
	var none *Procs
	none.Widen(6 << 20)() // nil: nothing to change
}
