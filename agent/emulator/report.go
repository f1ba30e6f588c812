package emulator

import (
	"sort"
	"time"
)

// ProcessReport describes one process of an environment.
type ProcessReport struct {
	Name     string
	PID      int
	Started  time.Time
	Exited   time.Time // zero while running
	Killed   bool      // ended by SIGKILL from the emulator
	ExitInfo string
}

// ExtensionReport is what an extension did in one environment.
type ExtensionReport struct {
	Name string
	// External is true for extensions launched from the extensions
	// directory; an internal registration comes from a process that used a
	// name matching no file there.
	External     bool
	Events       []string
	Process      ProcessReport
	Registered   time.Time
	FirstNext    time.Time // first event/next: the extension's Init is done
	ShutdownSent time.Time // SHUTDOWN handed over by event/next
	ErrorType    string    // reported via /init/error or /exit/error
}

// StartToFirstNext is the extension's cold-start cost: exec to its first
// event/next.
func (r ExtensionReport) StartToFirstNext() time.Duration {
	if r.FirstNext.IsZero() || r.Process.Started.IsZero() {
		return 0
	}
	return r.FirstNext.Sub(r.Process.Started)
}

// ShutdownDuration is how long the extension took to exit after receiving
// SHUTDOWN (zero if it never received it or has not exited).
func (r ExtensionReport) ShutdownDuration() time.Duration {
	if r.ShutdownSent.IsZero() || r.Process.Exited.IsZero() {
		return 0
	}
	return r.Process.Exited.Sub(r.ShutdownSent)
}

// EnvironmentReport describes one execution environment.
type EnvironmentReport struct {
	Generation   int
	InitStart    time.Time
	InitDuration time.Duration // zero while Init runs
	InitError    *InitError
	Runtime      ProcessReport
	// RuntimeFirstNext is when the runtime first called invocation/next.
	RuntimeFirstNext time.Time
	Extensions       []ExtensionReport
	ShutdownReason   string // empty while the environment lives
	ShutdownStart    time.Time
}

// Extension returns the report of the named extension.
func (r EnvironmentReport) Extension(name string) (ExtensionReport, bool) {
	for _, x := range r.Extensions {
		if x.Name == name {
			return x, true
		}
	}
	return ExtensionReport{}, false
}

func processReport(p *process) ProcessReport {
	if p == nil {
		return ProcessReport{}
	}
	r := ProcessReport{Name: p.name, PID: p.pid, Started: p.started}
	if !p.alive() {
		r.Exited = p.exited
		r.Killed = p.killed.Load()
		r.ExitInfo = p.exitDescription()
	}
	return r
}

func (e *environment) report() EnvironmentReport {
	e.mu.Lock()
	defer e.mu.Unlock()
	r := EnvironmentReport{
		Generation:       e.gen,
		InitStart:        e.initStart,
		Runtime:          processReport(e.runtime),
		RuntimeFirstNext: e.runtimeFirstNext,
		ShutdownReason:   e.shutdownReason,
		ShutdownStart:    e.shutdownStart,
	}
	select {
	case <-e.initDone:
		r.InitDuration = e.initEnd.Sub(e.initStart)
		r.InitError = e.initErr
	default:
	}
	for _, ext := range e.extensions {
		r.Extensions = append(r.Extensions, ExtensionReport{
			Name: ext.name, External: ext.external, Events: append([]string(nil), ext.events...),
			Process: processReport(ext.proc), Registered: ext.registered, FirstNext: ext.firstNext,
			ShutdownSent: ext.shutdownSent, ErrorType: ext.errorType,
		})
	}
	sort.SliceStable(r.Extensions, func(i, j int) bool { return r.Extensions[i].External && !r.Extensions[j].External })
	return r
}
