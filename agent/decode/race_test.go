//go:build race

package decode

// raceSlowdown widens timing bounds under the race detector, which makes
// this code an order of magnitude slower.
const raceSlowdown = 20
