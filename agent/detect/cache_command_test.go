package detect

import "testing"

func TestCacheCommandsAfterALineBreak(t *testing.T) {
	runLevelCases(t, []levelCase{
		// Redis's framing, wherever it stands
		{"resp after a key", q("key", "foo\r\n*1\r\n$8\r\nflushall\r\n"), "cmdi-cache-command", "cmdi-cache-command"},
		{"resp at the start", body("v", "*3\r\n$3\r\nset\r\n$1\r\nx\r\n$5\r\nhello\r\n"), "cmdi-cache-command", "cmdi-cache-command"},
		// inline commands after a one-token first line
		{"flushall", q("key", "k\r\nflushall\r\n"), "cmdi-cache-command", "cmdi-cache-command"},
		{"flushall after a bare LF", q("key", "k\nflushall"), "cmdi-cache-command", "cmdi-cache-command"},
		{"config set dir then save", q("key", "k\r\nconfig set dir /var/spool/cron/\r\nconfig set dbfilename root\r\nset x 1\r\nsave\r\n"), "*", "*"},
		{"slaveof", q("key", "x\r\nslaveof 10.0.0.5 6379\r\n"), "cmdi-cache-command", "cmdi-cache-command"},
		{"module load", q("key", "x\r\nmodule load /tmp/exp.so\r\n"), "*", "*"},
		{"eval", body("v", "x\r\neval \"return 1\" 0\r\n"), "cmdi-cache-command", "cmdi-cache-command"},
		{"memcached set with data", q("key", "\r\nset k 0 0 5\r\nhello\r\n"), "cmdi-cache-command", "cmdi-cache-command"},
		{"memcached flush_all", q("key", "session42\r\nflush_all\r\n"), "cmdi-cache-command", "cmdi-cache-command"},
		// notes about caches, and lines that only look like commands
		{"a note explaining flushall", body("comment", "Run\r\nFLUSHALL\r\nto clear the cache"), "", ""},
		{"a sentence first", body("comment", "Please run this:\r\nflushall"), "", ""},
		{"config set in prose", body("comment", "Config\r\nconfig set to default values"), "", ""},
		{"module load in prose", body("comment", "Modules\r\nmodule load balancing"), "", ""},
		{"chores", body("comment", "Todo\r\nset the table\r\nsave the date\r\nget milk"), "", ""},
		{"a price list", body("comment", "Prices\r\n*1 item\r\n$5 each"), "", ""},
		{"markdown emphasis", body("comment", "Note\n*2\nitems"), "", ""},
	})
}
