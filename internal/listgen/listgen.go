// Package listgen writes large synthetic listings of open handles as
// Sysinternals Handle and lsof print them, for testing and benchmarking
// leakdiag's readers of those formats on inputs far larger than any real
// capture at hand (bench/listings.sh).
//
// The listings are deterministic for a Config (the same Config writes the
// same bytes), written as a stream in constant memory, and modelled on the
// layouts of the project's testdata: Handle's `-a` listing and its `-a -v`
// CSV, lsof's default listing and its -F field output (one field a line,
// or -F0's NUL-separated sets). Object names come from a fixed pool drawn
// with a skewed distribution, as names repeat on a real machine; a share
// of one leaking process's handles name objects of their own (a file per
// request), as a leak of distinct names does.
package listgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
)

// Config describes the listing to write.
type Config struct {
	// Processes is the number of processes; at least 1.
	Processes int
	// Handles is the number of handles (lsof: descriptors) in all, at
	// least Processes.
	Handles int64
	// Seed selects the listing.
	Seed int64
	// LeakShare is the share of all handles the first process holds, the
	// leaker; 0 spreads the handles evenly.
	LeakShare float64
}

// Stats is what a listing holds.
type Stats struct {
	Bytes   int64
	Lines   int64
	Handles int64
}

// counter counts what is written through it.
type counter struct {
	w     io.Writer
	bytes int64
	lines int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.bytes += int64(n)
	for _, b := range p[:n] {
		if b == '\n' {
			c.lines++
		}
	}
	return n, err
}

// plan says how many handles each process holds, and draws names.
type plan struct {
	cfg  Config
	rng  *rand.Rand
	zipf *rand.Zipf
	per  []int64
}

func newPlan(cfg Config) (*plan, error) {
	if cfg.Processes < 1 || cfg.Handles < int64(cfg.Processes) || cfg.LeakShare < 0 || cfg.LeakShare >= 1 {
		return nil, fmt.Errorf("listgen: %d processes, %d handles, leak share %g: want at least one process, a handle for each, a share in [0, 1)",
			cfg.Processes, cfg.Handles, cfg.LeakShare)
	}
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x6c69_7374_6765_6e01))
	p := &plan{cfg: cfg, rng: rng, zipf: rand.NewZipf(rng, 1.2, 4, uint64(poolSize-1)), per: make([]int64, cfg.Processes)}
	rest := cfg.Handles
	if cfg.LeakShare > 0 && cfg.Processes > 1 {
		p.per[0] = max(1, min(int64(float64(cfg.Handles)*cfg.LeakShare), cfg.Handles-int64(cfg.Processes-1)))
		rest -= p.per[0]
		spread(p.per[1:], rest)
	} else {
		spread(p.per, rest)
	}
	return p, nil
}

// spread shares n among per, evenly.
func spread(per []int64, n int64) {
	for i := range per {
		per[i] = n / int64(len(per))
		if int64(i) < n%int64(len(per)) {
			per[i]++
		}
	}
}

// poolSize is the number of distinct names shared by the processes.
const poolSize = 4096

// leaky reports whether handle j of process i names an object of its
// own: half the leaker's.
func (p *plan) leaky(i int, j int64) bool {
	return i == 0 && p.cfg.LeakShare > 0 && j%2 == 1
}

// image is the image name of process i.
func image(i int) string {
	if i == 0 {
		return "leaky-agent.exe"
	}
	return images[i%len(images)]
}

var images = []string{"svchost.exe", "chrome.exe", "explorer.exe", "sqlservr.exe", "w3wp.exe", "java.exe", "MsMpEng.exe", "OneDrive.exe"}

// pid is the pid of process i.
func pid(i int) int { return 4 + 4*i*7 }

// writeFunc writes a listing through a buffered counter.
func writeFunc(w io.Writer, cfg Config, body func(bw *bufio.Writer, p *plan)) (Stats, error) {
	p, err := newPlan(cfg)
	if err != nil {
		return Stats{}, err
	}
	c := &counter{w: w}
	bw := bufio.NewWriterSize(c, 1<<16)
	body(bw, p)
	err = bw.Flush()
	return Stats{Bytes: c.bytes, Lines: c.lines, Handles: cfg.Handles}, err
}
