package event

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkParseFixtures parses every fixture: one sub-benchmark per
// trigger shape.
func BenchmarkParseFixtures(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, f := range files {
		payload, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(payload)))
			for b.Loop() {
				if _, err := Parse(payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWithoutRecords(b *testing.B) {
	payload, err := os.ReadFile(filepath.Join("testdata", "sqs-batch.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WithoutRecords(payload, SQS, []int{1}); err != nil {
			b.Fatal(err)
		}
	}
}
