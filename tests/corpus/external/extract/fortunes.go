package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// fortuneEvery keeps one fortune in this many, in file order: about 2,500
// of the packages' 15,000, so that one source of prose does not outweigh
// the others.
const fortuneEvery = 6

// fortunes reads the fortune cookies of Debian's fortunes and fortunes-min
// (quotations, jokes, definitions, verse: the prose people type into
// comment and message fields, apostrophes, quotes, dashes, parentheses
// and line breaks included). ascii-art is left out: pictures, not text.
func fortunes(root string) ([]item, error) {
	var files []string
	for _, pkg := range []string{"fortunes", "fortunes-min"} {
		dir := filepath.Join(root, pkg, "usr/share/games/fortunes")
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			n := e.Name()
			if e.Type()&os.ModeSymlink != 0 || strings.Contains(n, ".") || n == "ascii-art" {
				continue
			}
			files = append(files, filepath.Join(dir, n))
		}
	}
	sort.Strings(files)
	var out []item
	k := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, c := range strings.Split(string(b), "\n%\n") {
			if c = strings.TrimSpace(c); c == "" {
				continue
			}
			if k++; k%fortuneEvery == 0 {
				out = append(out, item{"benign-prose", c})
			}
		}
	}
	return out, nil
}
