package policy

import "testing"

func TestJSONMemberReadsWhatHandlersRead(t *testing.T) {
	tests := []struct {
		name, doc, path string
		want            string
		ok              bool
	}{
		{"top level", `{"username":"alice","password":"x"}`, "username", "alice", true},
		{"nested", `{"user":{"name":"alice"}}`, "user.name", "alice", true},
		{"a repeated key: the last wins", `{"username":"decoy","username":"alice"}`, "username", "alice", true},
		{"escaped key and value", `{"user\u006eame":"al\u0069ce"}`, "username", "alice", true},
		{"the same name in a sibling object does not count", `{"a":{"name":"x"},"user":{"id":1}}`, "user.name", "", false},
		{"the same name deeper does not count", `{"user":{"x":{"name":"deep"}}}`, "user.name", "", false},
		{"after leaving the path's object", `{"user":{"id":1},"name":"top"}`, "user.name", "", false},
		{"inside an array does not count", `{"items":[{"username":"x"}]}`, "username", "", false},
		{"number", `{"ok":false,"code":401}`, "code", "401", true},
		{"literal", `{"ok":false}`, "ok", "false", true},
		{"container", `{"user":{"name":"a"}}`, "user", "{", true},
		{"not JSON", `username=alice`, "username", "", false},
		{"truncated", `{"username":"alice"`, "username", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := jsonMember([]byte(tt.doc), splitPath(tt.path))
			if got != tt.want || ok != tt.ok {
				t.Errorf("jsonMember(%s, %s) = %q, %v; want %q, %v", tt.doc, tt.path, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return out
}
