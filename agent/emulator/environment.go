package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Shutdown reasons, as sent in the SHUTDOWN event.
const (
	reasonSpindown = "spindown"
	reasonTimeout  = "timeout"
	reasonFailure  = "failure"
)

// process is one OS process of the environment (the runtime or an
// external extension).
type process struct {
	name    string
	cmd     *exec.Cmd
	pid     int
	started time.Time
	done    chan struct{}
	exited  time.Time // set before done is closed
	waitErr error
	killed  atomic.Bool
}

func (p *process) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// signal sends sig to the process group, so that a wrapper script's
// children go with it.
func (p *process) signal(sig syscall.Signal) {
	if p == nil || !p.alive() {
		return
	}
	if sig == syscall.SIGKILL {
		p.killed.Store(true)
	}
	_ = syscall.Kill(-p.pid, sig)
}

func (p *process) exitDescription() string {
	if p.waitErr == nil {
		return "exit status 0"
	}
	var ee *exec.ExitError
	if errors.As(p.waitErr, &ee) {
		return ee.String()
	}
	return p.waitErr.Error()
}

// extension is a registered extension, or an external extension file that
// has been launched and not registered yet.
type extension struct {
	name     string
	external bool
	proc     *process // nil for internal extensions
	id       string
	events   []string
	invoke   bool
	shutdown bool

	registered   time.Time
	firstNext    time.Time
	shutdownSent time.Time
	errorType    string // from /init/error or /exit/error

	queue  chan extensionEvent
	handed []*invocation // INVOKE events handed over, not yet followed by next
}

type extensionEvent struct {
	body []byte
	inv  *invocation
	kind string
}

// invocation is one event travelling through the environment.
type invocation struct {
	id        string
	payload   []byte
	header    http.Header
	deadline  time.Time
	streaming bool

	result     chan *Result // receives exactly one result
	resultOnce sync.Once
	dispatched time.Time

	// guarded by environment.mu
	responding bool
	finished   bool
	stream     *io.PipeWriter
	extPending int
	nextMark   int64 // runtime next calls counted when the answer completed

	responded chan struct{} // closed when the runtime's answer is complete
	extDone   chan struct{} // closed when every INVOKE subscriber called next again
}

func newInvocation(id string, payload []byte, opts InvokeOptions, cfg Config, addr string) *invocation {
	// The runtime learns the deadline in whole milliseconds; rounding it up
	// keeps the runtime's own deadline (aws-lambda-go's context) from
	// passing before the platform's, so an answer the runtime gives up
	// with at its deadline arrives late and the invocation times out, as
	// on Lambda and AWS's emulator.
	deadline := time.Now().Add(cfg.Timeout)
	if r := deadline.UnixNano() % int64(time.Millisecond); r != 0 {
		deadline = deadline.Add(time.Millisecond - time.Duration(r))
	}
	trace := opts.TraceID
	if trace == "" {
		trace = newTraceID()
	}
	h := http.Header{}
	h.Set("Lambda-Runtime-Aws-Request-Id", id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(deadline.UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", cfg.Region, accountID, cfg.FunctionName))
	h.Set("Lambda-Runtime-Trace-Id", trace)
	if opts.ClientContext != "" {
		h.Set("Lambda-Runtime-Client-Context", opts.ClientContext)
	}
	if opts.CognitoIdentity != "" {
		h.Set("Lambda-Runtime-Cognito-Identity", opts.CognitoIdentity)
	}
	if opts.TenantID != "" {
		h.Set("Lambda-Runtime-Aws-Tenant-Id", opts.TenantID)
	}
	h.Set("Content-Type", "application/json")
	return &invocation{
		id: id, payload: payload, header: h, deadline: deadline, streaming: opts.Streaming,
		result:    make(chan *Result, 1),
		responded: make(chan struct{}),
		extDone:   make(chan struct{}),
	}
}

// deliver hands the caller its result, once.
func (inv *invocation) deliver(r *Result) {
	inv.resultOnce.Do(func() {
		if r.RequestID == "" {
			r.RequestID = inv.id
		}
		inv.result <- r
	})
}

// environment is one execution environment: its processes, its API state
// and its invocations. A reset creates a new one.
type environment struct {
	f   *Function
	gen int

	initStart    time.Time
	initEnd      time.Time
	initDone     chan struct{}
	initErr      *InitError
	initReported atomic.Bool

	// launchMu orders process launches against teardown: once teardown
	// has closed launches, nothing new starts, so no process outlives the
	// environment.
	launchMu       sync.Mutex
	launchesClosed bool

	poke    chan struct{} // wakes the Init loop
	dying   chan struct{} // closed when teardown begins
	exited  chan struct{} // closed when every process is gone
	tearing sync.Once

	mu               sync.Mutex
	phase            string // "extensions", "runtime", "ready"
	registrationOpen bool
	initFailure      *InitError
	runtime          *process
	runtimeStart     time.Time
	runtimeFirstNext time.Time
	extensions       []*extension // external first (launch order), then internal
	byID             map[string]*extension
	invocations      map[string]*invocation
	queue            chan *invocation
	shutdownReason   string
	shutdownStart    time.Time
	nextCalls        int64         // runtime invocation/next calls so far
	nextSignal       chan struct{} // closed and replaced on every runtime next
	unknownNames     []string
}

func newEnvironment(f *Function, gen int) *environment {
	return &environment{
		f: f, gen: gen,
		initDone:         make(chan struct{}),
		poke:             make(chan struct{}, 1),
		dying:            make(chan struct{}),
		exited:           make(chan struct{}),
		registrationOpen: true,
		phase:            "extensions",
		byID:             map[string]*extension{},
		invocations:      map[string]*invocation{},
		queue:            make(chan *invocation, f.cfg.Concurrency),
		nextSignal:       make(chan struct{}),
	}
}

// newEventQueue makes an extension's event queue, deep enough for one
// INVOKE per concurrent invocation plus SHUTDOWN.
func (e *environment) newEventQueue() chan extensionEvent {
	return make(chan extensionEvent, e.f.cfg.Concurrency+4)
}

func (e *environment) isDying() bool {
	select {
	case <-e.dying:
		return true
	default:
		return false
	}
}

func (e *environment) wake() {
	select {
	case e.poke <- struct{}{}:
	default:
	}
}

func (e *environment) initDuration() time.Duration {
	<-e.initDone
	return e.initEnd.Sub(e.initStart)
}

// start launches the extensions and runs the Init phase in the background.
func (e *environment) start() error {
	files, err := e.f.cfg.extensionFiles()
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	e.initStart = time.Now()
	e.launchMu.Lock()
	defer e.launchMu.Unlock()
	for _, path := range files {
		ext := &extension{name: filepath.Base(path), external: true, queue: e.newEventQueue()}
		e.mu.Lock()
		e.extensions = append(e.extensions, ext)
		e.mu.Unlock()
		p, err := e.launch(ext.name, []string{path}, filepath.Dir(path))
		if err != nil {
			e.failInit(&InitError{Type: "Extension.LaunchError", Message: fmt.Sprintf("extension %s: %v", ext.name, err)})
			break
		}
		e.mu.Lock()
		ext.proc = p
		e.mu.Unlock()
	}
	go e.initialize()
	return nil
}

// launch starts one process of the environment in its own process group,
// its output line-buffered into the function's logs. The caller holds
// launchMu.
func (e *environment) launch(name string, argv []string, dir string) (*process, error) {
	if e.launchesClosed {
		return nil, errGone
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = e.f.cfg.processEnv(e.f.addr, e.gen)
	cmd.Dir = dir
	stdout, stderr := e.f.logs.writer(), e.f.logs.writer()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 200 * time.Millisecond
	p := &process{name: name, cmd: cmd, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.pid = cmd.Process.Pid
	p.started = time.Now()
	e.f.calls.addProcess(p.pid, name)
	go func() {
		p.waitErr = cmd.Wait()
		p.exited = time.Now()
		e.f.calls.removeProcess(p.pid)
		stdout.flush()
		stderr.flush()
		close(p.done)
		e.processExited(p)
	}()
	return p, nil
}

// initialize drives the Init phase: external extensions register, the
// runtime starts, registration closes when the runtime is ready, and Init
// ends when the runtime and every registered extension have called next.
func (e *environment) initialize() {
	cfg := e.f.cfg
	timer := time.NewTimer(cfg.InitTimeout)
	defer timer.Stop()
	for {
		e.mu.Lock()
		failure := e.initFailure
		phase := e.phase
		allRegistered := true
		for _, ext := range e.extensions {
			if ext.external && ext.registered.IsZero() {
				allRegistered = false
			}
		}
		runtimeReady := !e.runtimeFirstNext.IsZero()
		e.mu.Unlock()

		switch {
		case failure != nil:
			e.finishInit(failure)
			return
		case phase == "extensions" && allRegistered:
			e.mu.Lock()
			e.phase = "runtime"
			e.runtimeStart = time.Now()
			e.mu.Unlock()
			e.launchMu.Lock()
			p, err := e.launch("runtime", cfg.runtimeCommand(), cfg.TaskRoot)
			e.launchMu.Unlock()
			if errors.Is(err, errGone) {
				e.finishInit(&InitError{Type: "Runtime.ExitError", Message: "execution environment shut down during Init"})
				return
			}
			if err != nil {
				e.finishInit(&InitError{Type: "Runtime.InvalidEntrypoint", Message: fmt.Sprintf("RequestId: %s Error: %v", newID(), err)})
				return
			}
			e.mu.Lock()
			e.runtime = p
			e.mu.Unlock()
			continue
		case phase == "runtime" && runtimeReady && e.closeRegistration():
			e.mu.Lock()
			e.phase = "ready"
			e.mu.Unlock()
			e.finishInit(nil)
			return
		}
		select {
		case <-e.poke:
		case <-e.dying:
			e.finishInit(&InitError{Type: "Runtime.ExitError", Message: "execution environment shut down during Init"})
			return
		case <-timer.C:
			e.finishInit(&InitError{Type: "Sandbox.Timedout", Message: e.initTimeoutMessage()})
			return
		}
	}
}

// initTimeoutMessage says who Init was still waiting for when it ran out
// of time.
func (e *environment) initTimeoutMessage() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var waiting []string
	for _, ext := range e.extensions {
		switch {
		case ext.external && ext.registered.IsZero():
			waiting = append(waiting, fmt.Sprintf("extension %q never registered", ext.name))
		case !ext.registered.IsZero() && ext.firstNext.IsZero():
			waiting = append(waiting, fmt.Sprintf("extension %q never called event/next", ext.name))
		}
	}
	if e.phase == "runtime" && e.runtimeFirstNext.IsZero() {
		waiting = append(waiting, "the runtime never called invocation/next")
	}
	msg := fmt.Sprintf("Init timed out after %s: %s", e.f.cfg.InitTimeout, strings.Join(waiting, "; "))
	if len(e.unknownNames) > 0 {
		msg += fmt.Sprintf(" (registrations under %s matched no file in the extensions directory and were treated as internal extensions: Lambda-Extension-Name must equal the extension's file name)", strings.Join(e.unknownNames, ", "))
	}
	return msg
}

// closeRegistration ends extension registration, which Lambda does once
// the runtime is ready (internal extensions, started by the runtime
// process, register during runtime init), and reports whether every
// registered extension has reached event/next.
func (e *environment) closeRegistration() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.registrationOpen = false
	for _, ext := range e.extensions {
		if !ext.registered.IsZero() && ext.firstNext.IsZero() {
			return false
		}
	}
	return true
}

func (e *environment) failInit(err *InitError) {
	e.mu.Lock()
	if e.initFailure == nil && e.phase != "ready" {
		e.initFailure = err
	}
	e.mu.Unlock()
	e.wake()
}

func (e *environment) finishInit(err *InitError) {
	e.initEnd = time.Now()
	e.initErr = err
	close(e.initDone)
	if err != nil {
		fmt.Fprintf(e.f.logs.writer(), "INIT_REPORT Init Duration: %.2f ms Phase: init Status: error Error Type: %s\n",
			float64(e.initEnd.Sub(e.initStart).Microseconds())/1000, err.Type)
		e.teardown(reasonFailure)
	}
}

// processExited reacts to a process ending outside a teardown: during Init
// it fails Init; afterwards it fails the in-flight invocations and resets
// the environment, as Lambda does after a crash.
func (e *environment) processExited(p *process) {
	if e.isDying() {
		return
	}
	e.mu.Lock()
	isRuntime := p == e.runtime
	errType := "Extension.Crash"
	var reported string
	for _, ext := range e.extensions {
		if ext.proc == p && ext.errorType != "" {
			reported = ext.errorType
		}
	}
	e.mu.Unlock()
	if reported != "" {
		errType = reported
	}
	msg := fmt.Sprintf("Extension %s exited: %s", p.name, p.exitDescription())
	if isRuntime {
		errType = "Runtime.ExitError"
		msg = "Runtime exited with error: " + p.exitDescription()
	}
	select {
	case <-e.initDone:
	default:
		e.failInit(&InitError{Type: errType, Message: msg})
		return
	}
	// Dying before any caller hears of the failure: whatever it does next
	// (another invocation, WaitInit) gets a new environment, as on Lambda.
	e.teardown(reasonFailure)
	e.failInvocations(errType, msg)
}

// failInvocations ends every unanswered invocation with an error.
func (e *environment) failInvocations(errType, msg string) {
	e.mu.Lock()
	var pending []*invocation
	for _, inv := range e.invocations {
		if !inv.finished {
			inv.finished = true
			pending = append(pending, inv)
		}
	}
	e.mu.Unlock()
	for _, inv := range pending {
		t, m := errType, fmt.Sprintf("RequestId: %s Error: %s", inv.id, msg)
		if !time.Now().Before(inv.deadline) {
			// Past its deadline an invocation has timed out, whatever
			// ended the environment since: a runtime that answered at
			// the deadline, was refused (410) and exited must not turn
			// the timeout into Runtime.ExitError because its exit was
			// seen before the deadline's timer fired.
			t, m = "Sandbox.Timedout", e.timeoutMessage(inv)
		}
		if inv.stream != nil {
			inv.stream.CloseWithError(&StreamError{Type: t, Body: []byte(m)})
		}
		inv.deliver(errorResult(inv.id, t, m))
	}
}

// timeoutMessage is Lambda's error message for inv's timeout.
func (e *environment) timeoutMessage(inv *invocation) string {
	return fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", inv.id, e.f.cfg.Timeout.Seconds())
}

// dispatch queues inv for the runtime and sends INVOKE to subscribed
// extensions. It reports false when the environment is already going away.
func (e *environment) dispatch(inv *invocation) bool {
	e.mu.Lock()
	if e.isDying() {
		e.mu.Unlock()
		return false
	}
	e.invocations[inv.id] = inv
	var subscribers []*extension
	for _, ext := range e.extensions {
		if ext.invoke && !ext.registered.IsZero() {
			subscribers = append(subscribers, ext)
		}
	}
	inv.extPending = len(subscribers)
	if inv.extPending == 0 {
		close(inv.extDone)
	}
	inv.dispatched = time.Now()
	e.mu.Unlock()
	if len(subscribers) > 0 {
		body := fmt.Appendf(nil, `{"eventType":"INVOKE","deadlineMs":%d,"requestId":%q,"invokedFunctionArn":%q,"tracing":{"type":"X-Amzn-Trace-Id","value":%q}}`,
			inv.deadline.UnixMilli(), inv.id, inv.header.Get("Lambda-Runtime-Invoked-Function-Arn"), inv.header.Get("Lambda-Runtime-Trace-Id"))
		for _, ext := range subscribers {
			select {
			case ext.queue <- extensionEvent{body: body, inv: inv, kind: "INVOKE"}:
			default:
				// Unreachable with the queue sized to the concurrency;
				// never wait for an event that was not delivered.
				e.mu.Lock()
				inv.extPending--
				done := inv.extPending == 0
				e.mu.Unlock()
				if done {
					close(inv.extDone)
				}
			}
		}
	}
	e.queue <- inv
	return true
}

// complete waits for the invocation to end: the runtime answered and every
// INVOKE subscriber called event/next again, or the deadline passed, in
// which case the environment is reset with reason timeout.
//
// When the environment dies first, inv stays among its invocations: the
// crash that killed it fails them all (failInvocations) right after the
// teardown, and an invocation removed in between would never be answered.
func (e *environment) complete(inv *invocation) {
	timer := time.NewTimer(time.Until(inv.deadline))
	defer timer.Stop()
	forget := func() {
		e.mu.Lock()
		delete(e.invocations, inv.id)
		e.mu.Unlock()
	}
	for _, ch := range []chan struct{}{inv.responded, inv.extDone} {
		select {
		case <-ch:
		case <-e.dying:
			return
		case <-timer.C:
			e.timeout(inv)
			forget()
			return
		}
	}
	// The invocation ends when the runtime asks for the next event: a
	// runtime that answered and then died (aws-lambda-go after a panic)
	// never takes another event from this environment.
	for {
		e.mu.Lock()
		arrived := e.nextCalls > inv.nextMark
		signal := e.nextSignal
		e.mu.Unlock()
		if arrived {
			forget()
			return
		}
		select {
		case <-signal:
		case <-e.dying:
			return
		case <-timer.C:
			e.timeout(inv)
			forget()
			return
		}
	}
}

// runtimeCalledNext counts a runtime invocation/next and wakes invocations
// waiting for it.
func (e *environment) runtimeCalledNext() {
	e.mu.Lock()
	e.nextCalls++
	if e.runtimeFirstNext.IsZero() {
		e.runtimeFirstNext = time.Now()
	}
	close(e.nextSignal)
	e.nextSignal = make(chan struct{})
	e.mu.Unlock()
	e.wake()
}

func (e *environment) timeout(inv *invocation) {
	msg := e.timeoutMessage(inv)
	e.mu.Lock()
	wasFinished := inv.finished
	inv.finished = true
	stream := inv.stream
	e.mu.Unlock()
	fmt.Fprintf(e.f.logs.writer(), "%s Task timed out after %.2f seconds\n", inv.id, e.f.cfg.Timeout.Seconds())
	// Dying before the caller hears of the timeout: whatever it does next
	// (another invocation, WaitInit) gets a new environment, as on Lambda.
	e.teardown(reasonTimeout)
	if stream != nil {
		stream.CloseWithError(&StreamError{Type: "Sandbox.Timedout", Body: []byte(msg)})
	}
	if !wasFinished {
		inv.deliver(errorResult(inv.id, "Sandbox.Timedout", msg))
	}
	e.failInvocations("Sandbox.Timedout", "execution environment reset: another invocation timed out")
}

// teardown shuts the environment down (once): the runtime is stopped
// (SIGTERM then SIGKILL at spindown, SIGKILL otherwise), SHUTDOWN goes to
// subscribed extensions, and everything left after the budget is killed.
func (e *environment) teardown(reason string) {
	e.tearing.Do(func() {
		e.mu.Lock()
		e.shutdownReason = reason
		e.shutdownStart = time.Now()
		close(e.dying)
		e.mu.Unlock()
		go e.shutdown(reason)
	})
}

func (e *environment) shutdown(reason string) {
	defer close(e.exited)
	e.launchMu.Lock()
	e.launchesClosed = true
	e.launchMu.Unlock()
	e.mu.Lock()
	rt := e.runtime
	exts := append([]*extension(nil), e.extensions...)
	e.mu.Unlock()

	if rt != nil {
		if reason == reasonSpindown && len(exts) > 0 {
			rt.signal(syscall.SIGTERM)
			select {
			case <-rt.done:
			case <-time.After(runtimeTermGrace):
			}
		}
		rt.signal(syscall.SIGKILL)
		<-rt.done
	}

	start := time.Now()
	deadline := start.Add(e.f.cfg.ShutdownBudget)
	body := fmt.Appendf(nil, `{"eventType":"SHUTDOWN","shutdownReason":%q,"deadlineMs":%d}`, reason, deadline.UnixMilli())
	for _, ext := range exts {
		if ext.proc == nil {
			continue
		}
		e.mu.Lock()
		subscribed := ext.shutdown && !ext.registered.IsZero()
		e.mu.Unlock()
		if !subscribed {
			ext.proc.signal(syscall.SIGKILL)
			continue
		}
		select {
		case ext.queue <- extensionEvent{body: body, kind: "SHUTDOWN"}:
		default:
			ext.proc.signal(syscall.SIGKILL)
		}
	}
	budget := time.NewTimer(time.Until(deadline))
	defer budget.Stop()
	for _, ext := range exts {
		if ext.proc == nil {
			continue
		}
		select {
		case <-ext.proc.done:
		case <-budget.C:
			budget.Reset(0)
			ext.proc.signal(syscall.SIGKILL)
			<-ext.proc.done
		}
	}
}

var errGone = errors.New("execution environment is gone")

// waitDying blocks until ctx ends or the environment is torn down.
func (e *environment) waitDying(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-e.dying:
		return errGone
	}
}
