//go:build !unix

package engine_test

import "time"

// cpuTime is unknown here: the benchmark reports no CPU time.
func cpuTime() time.Duration { return 0 }
