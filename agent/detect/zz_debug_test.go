package detect

import "testing"

func TestZZDebug(t *testing.T) {
	for _, s := range []string{"various system calls and functions allow a program to sleep (suspend execution) for a specified period of time; see nanosleep(2), clock_nanosleep(2), and sleep(3).", "advanced ranges may be combined in the same way as primitive comparators using white space or `||`.", "nice product thanks a lot' union select username, password from users--", "1 or sleep(5)", "x' or 1=1--"} {
		b := bytesOf(s); off, end, score, ok := sqlLex(s, &b)
		p, tot := sqlProseWords(s, true)
		t.Log(off, end, score, ok, p, tot)
	}
}
