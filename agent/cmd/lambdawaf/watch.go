package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// watchInterval is how often -watch looks for changes. Polling keeps the
// CLI free of platform notification APIs and works on every file system
// (network mounts, containers' bind mounts) at a cost of one directory walk.
const watchInterval = 500 * time.Millisecond

// skippedDirs are not the function's code (or too large to poll); directories
// whose names start with a dot (.git, .venv) are skipped too.
var skippedDirs = map[string]bool{"__pycache__": true, "node_modules": true}

// snapshot summarises a file tree (names, sizes, modification times) so
// that any edit, addition or removal changes it.
func snapshot(root string) ([32]byte, error) {
	h := sha256.New()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (skippedDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil // removed while walking: the next round sees it
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", path, fi.Size(), fi.ModTime().UnixNano())
		return nil
	})
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, err
}

// watch calls changed each time the tree under root changes, after it has
// been quiet for one interval (an editor's save is often several writes),
// until ctx ends. changed's error is reported and watching goes on: a
// broken edit is followed by a fixed one.
func watch(ctx context.Context, root string, changed func(context.Context) error, report func(error)) {
	last, err := snapshot(root)
	if err != nil {
		report(fmt.Errorf("watch %s: %w", root, err))
	}
	var seen [32]byte // the latest state, not yet acted on
	dirty := false
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur, err := snapshot(root)
		if err != nil {
			continue
		}
		switch {
		case cur != last && (!dirty || cur != seen):
			dirty, seen = true, cur // still changing: wait for quiet
		case dirty && cur == seen:
			dirty, last = false, cur
			if err := changed(ctx); err != nil {
				report(err)
			}
		}
	}
}

// watchRoot is the directory to poll for a -function: the file's directory
// for an executable, the directory itself otherwise.
func watchRoot(path string) string {
	fi, err := os.Stat(path)
	if err == nil && !fi.IsDir() {
		return filepath.Dir(path)
	}
	return path
}
