//go:build race

package rules

// raceSlowdown is how much slower the race detector makes evaluation:
// timing bounds in tests are multiplied by it.
const raceSlowdown = 10
