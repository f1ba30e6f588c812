package detect

import (
	"strings"

	"github.com/lambdawaf/lambdawaf/agent/detect/lex"
)

// cacheCommand finds Redis or memcached commands smuggled after a line
// break: both speak line-framed text protocols, so a CRLF in a value that
// an application writes into such a connection (or sends through a
// gopher:// or dict:// URL, whose path goes out as it is) starts commands
// of the attacker's. s is lower-cased. Read:
//
//   - Redis's own framing: an array header then a bulk string header on
//     the next line ("*1\r\n$8\r\nflushall"), wherever it stands;
//   - inline commands: after a first line of one token, as a key or a
//     header-bound value has, every further line is a command of either
//     protocol (or the data block of a memcached storage command), and one
//     of them changes or takes over the server: flushall, flushdb,
//     config set of a parameter that writes files or opens the server (dir,
//     dbfilename, requirepass...), slaveof/replicaof <host> <port>, module
//     load <path>, eval "<script>" <numkeys>, or a memcached storage
//     command with its numeric fields ("set k 0 0 5") or flush_all.
//
// A note whose second line is "FLUSHALL" and whose third explains it is a
// developer writing about Redis, not to it.
func cacheCommand(s string) int {
	first := strings.IndexAny(s, "\r\n")
	if first < 0 {
		return -1
	}
	if respArray(s[:first], s[first:]) {
		return 0
	}
	oneToken := first <= 512 && !strings.ContainsAny(s[:first], " \t")
	takeover, data := false, false
	for off := first; off < len(s); {
		line, next := s[off:], len(s)
		if e := strings.IndexAny(line, "\r\n"); e >= 0 {
			line, next = line[:e], off+e
		}
		if off == first || line == "" {
			// the break itself, or an empty line between two breaks
		} else if respArray(line, s[next:]) {
			return first
		} else if !oneToken {
			// only framing counts after a line with blanks
		} else if data {
			data = false // the data block of a storage command: anything
		} else {
			switch cacheLine(line) {
			case cacheTakeover:
				takeover = true
			case cacheStore:
				takeover, data = true, true
			case cacheOther:
			default:
				return -1 // a line of prose: a note, not a session
			}
		}
		off = next + 1
		if next == len(s) {
			break
		}
	}
	if oneToken && takeover {
		return first
	}
	return -1
}

// cacheLineKind is what a line reads as in Redis's inline protocol or
// memcached's text protocol.
type cacheLineKind uint8

const (
	notCacheLine  cacheLineKind = iota
	cacheOther                  // a command that reads or writes one key, or asks
	cacheTakeover               // a command that empties, reconfigures or takes over the server
	cacheStore                  // a memcached storage command: a data block follows
)

// cacheLine reads one line as a cache command, with the arguments it
// needs.
func cacheLine(line string) cacheLineKind {
	f := strings.Fields(line)
	if len(f) == 0 {
		return notCacheLine
	}
	switch f[0] {
	case "flushall", "flushdb":
		if len(f) == 1 || len(f) == 2 && (f[1] == "async" || f[1] == "sync") {
			return cacheTakeover
		}
	case "flush_all":
		if len(f) == 1 || len(f) == 2 && lex.IsDigits(f[1]) {
			return cacheTakeover
		}
	case "config":
		if len(f) >= 4 && f[1] == "set" && redisTakeoverParams[f[2]] {
			return cacheTakeover
		}
	case "slaveof", "replicaof":
		if len(f) == 3 && (lex.IsDigits(f[2]) || f[1] == "no" && f[2] == "one") {
			return cacheTakeover
		}
	case "module":
		if len(f) >= 3 && f[1] == "load" && (strings.IndexByte(f[2], '/') >= 0 || strings.HasSuffix(f[2], ".so")) {
			return cacheTakeover
		}
	case "eval":
		if len(f) >= 3 && (f[1][0] == '"' || f[1][0] == '\'') && lex.IsDigits(f[len(f)-1]) {
			return cacheTakeover
		}
	case "set", "add", "replace", "append", "prepend":
		if (len(f) == 5 || len(f) == 6 && f[5] == "noreply") && lex.IsDigits(f[2]) && lex.IsDigits(f[3]) && lex.IsDigits(f[4]) {
			return cacheStore
		}
		if f[0] == "set" && len(f) >= 3 {
			return cacheOther // Redis SET key value
		}
	case "cas":
		if len(f) >= 6 && lex.IsDigits(f[2]) && lex.IsDigits(f[3]) && lex.IsDigits(f[4]) && lex.IsDigits(f[5]) {
			return cacheStore
		}
	case "get", "del", "delete", "exists", "incr", "decr", "expire", "keys", "hget", "hset", "lpush", "rpush", "sadd", "publish", "auth", "select":
		if len(f) >= 2 {
			return cacheOther
		}
	case "save", "bgsave", "info", "ping", "quit", "stats", "version", "dbsize":
		if len(f) <= 2 {
			return cacheOther
		}
	}
	return notCacheLine
}

// redisTakeoverParams are the configuration parameters whose change
// writes files where the attacker says (dir, dbfilename: a web shell, an
// SSH key, a cron job), removes the password or opens the server.
var redisTakeoverParams = map[string]bool{
	"dir": true, "dbfilename": true, "appendfilename": true, "appendonly": true, "appenddirname": true,
	"requirepass": true, "masterauth": true, "protected-mode": true, "bind": true, "save": true,
	"slave-read-only": true, "replica-read-only": true, "enable-debug-command": true, "enable-module-command": true,
}

// respArray reports a RESP array header line ("*2") whose next line is a
// bulk string header ("$4"); rest starts at the break after line.
func respArray(line, rest string) bool {
	if len(line) < 2 || line[0] != '*' || !lex.IsDigits(line[1:]) {
		return false
	}
	rest = strings.TrimLeft(rest, "\r\n")
	return len(rest) >= 2 && rest[0] == '$' && isDigit(rest[1])
}
