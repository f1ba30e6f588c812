package lex

import (
	"strings"
	"sync"
	"testing"
)

// Keyword lists are package variables all over the detectors; building
// their tables at package initialisation put them ahead of the agent's
// registration in every cold start. They are built on first use instead,
// once, whichever goroutine gets there first.
func TestKeywordTablesAreBuiltOnFirstUse(t *testing.T) {
	l := NewWordList("select", "union", "sleep(")
	x := NewFirstIndex([]string{"select", "union"})
	if l.built.pairs != nil || l.built.sets != nil || x.built != nil {
		t.Fatal("tables built before first use")
	}
	text := strings.Repeat("a ", 200) + "union select"
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if w, i := l.Index(text, nil, nil); w != "select" || i != 406 {
				t.Errorf("Index = %q, %d; want select, 406 (list order)", w, i)
			}
		}()
		go func() {
			defer wg.Done()
			if k, at := x.Find(text, nil); k != 0 || at != 406 {
				t.Errorf("Find = %d, %d; want 0, 406", k, at)
			}
		}()
	}
	wg.Wait()
	if l.built.pairs == nil || len(l.built.sets) != 3 || x.built == nil {
		t.Fatal("tables not built by first use")
	}
}

// A list of more than 64 words is searched word by word: it has sets but
// no one-pass masks, built or not.
func TestLongWordListHasNoPairs(t *testing.T) {
	words := make([]string, 65)
	for i := range words {
		words[i] = "w" + strings.Repeat("x", i)
	}
	l := NewWordList(words...)
	if !l.Contains("a wxx b", nil) {
		t.Fatal("Contains missed wxx")
	}
	if l.built.pairs != nil || len(l.built.sets) != 65 {
		t.Fatalf("long list: pairs %v, %d sets", l.built.pairs != nil, len(l.built.sets))
	}
}
