//go:build !race

package decode

// raceSlowdown widens timing bounds under the race detector.
const raceSlowdown = 1
