package emulator

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// lineSink serialises the output of every process into one writer, whole
// lines at a time, so concurrent JSON log lines never interleave.
type lineSink struct {
	mu sync.Mutex
	w  io.Writer
}

// writer returns a per-stream writer that buffers partial lines.
func (s *lineSink) writer() *lineWriter { return &lineWriter{sink: s} }

type lineWriter struct {
	sink *lineSink
	buf  []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	i := bytes.LastIndexByte(l.buf, '\n')
	if i < 0 {
		if len(l.buf) < 256*1024 {
			return len(p), nil
		}
		i = len(l.buf) - 1 // a runaway line is flushed as is
	}
	l.sink.mu.Lock()
	_, err := l.sink.w.Write(l.buf[:i+1])
	l.sink.mu.Unlock()
	l.buf = append(l.buf[:0], l.buf[i+1:]...)
	return len(p), err
}

// LogBuffer is a concurrency-safe io.Writer for Config.Logs that tests can
// read while processes are still writing.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines returns the complete lines that contain substr.
func (b *LogBuffer) Lines(substr string) []string {
	var out []string
	for _, line := range strings.Split(b.String(), "\n") {
		if line != "" && strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return out
}

// flush writes out a last line that ended without a newline (a process
// that died mid-line). Call it only after the writer's producer is done.
func (l *lineWriter) flush() {
	if len(l.buf) == 0 {
		return
	}
	l.sink.mu.Lock()
	_, _ = l.sink.w.Write(append(l.buf, '\n'))
	l.sink.mu.Unlock()
	l.buf = nil
}
