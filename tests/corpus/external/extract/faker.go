package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// fakerOut is the file fetch.sh writes with faker.mjs: one JSON string
// per line.
const fakerOut = "faker.jsonl"

// fakerValues reads what faker.mjs made from @faker-js/faker's locale
// data: names, addresses, companies, products, sentences, e-mail
// addresses, URLs, user agents, passwords, file paths and the like in
// nineteen locales, the values of ordinary form fields.
func fakerValues(root string) ([]item, error) {
	b, err := os.ReadFile(filepath.Join(root, fakerOut))
	if err != nil {
		return nil, err
	}
	var out []item
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var v string
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			return nil, err
		}
		out = append(out, item{"benign-strings", v})
	}
	return out, nil
}
