package policy

import "slices"

// evictionSample is how many evictable entries EvictLeastRecent looks at
// to find how old the least recent tenth of them is.
const evictionSample = 1024

// EvictLeastRecent makes room in a full counter store: it deletes about
// the least recently used tenth of the entries that may go (keep is false
// for them: neither held nor owing an unreported count), and returns how
// many it deleted. Entries that must be kept never go, so a flood of new
// keys cannot flush a hold; when every entry must be kept it deletes
// nothing, and the caller must say so rather than start over.
//
// It makes one pass to sample the evictable entries' last use, and one to
// delete those at or below the sample's tenth percentile: O(n) for about
// n/10 evictions, so a store of 50,000 keys pays it once per 5,000 new keys.
func EvictLeastRecent[K comparable, V any](m map[K]V, state func(V) (used int64, keep bool)) int {
	sample := make([]int64, 0, evictionSample)
	for _, v := range m {
		if used, keep := state(v); !keep {
			sample = append(sample, used)
			if len(sample) == evictionSample {
				break
			}
		}
	}
	if len(sample) == 0 {
		return 0
	}
	slices.Sort(sample)
	cut := sample[len(sample)/10]
	n := 0
	for k, v := range m {
		if used, keep := state(v); !keep && used <= cut {
			delete(m, k)
			n++
		}
	}
	return n
}
