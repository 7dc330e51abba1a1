// Package countergen writes synthetic performance counter logs, as
// typeperf -f CSV writes them: a PDH header naming \\HOST\Process(NAME)\
// Handle Count (and ID Process, Thread Count) for every process, then a
// row per sample. Tests and benchmarks use it to make logs far longer
// than any real one at hand: a day at one sample a minute for a thousand
// processes.
//
// A log is deterministic for a Config. Most processes hold a flat count
// (with Noise); the Leakers gain handles at a steady rate (with the same
// Noise, so that their counts dip now and then); the Restarters
// vanish from the log in its middle for a few samples and come back as a
// new process (a new pid) holding RestartJump more handles, flat again.
// Stats says which instances are which, so a test can check what a
// reader makes of them.
package countergen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand"
	"strconv"
	"time"
)

// Config describes the log to write.
type Config struct {
	// Host names the machine in the counter paths; default HOST01.
	Host string
	// Processes and Samples: the instances logged and the rows written.
	Processes, Samples int
	// Interval is the time between samples; default a minute. Start is
	// the first sample's time (UTC); default 2026-01-05 00:00.
	Interval time.Duration
	Start    time.Time
	// Seed selects the counts: the same Config writes the same bytes.
	Seed int64
	// Leakers is the number of processes that leak, each LeakPerHour
	// handles an hour (default 600): rising at every sample without
	// Noise, along a line with dips with it.
	Leakers     int
	LeakPerHour float64
	// Restarters is the number of processes that restart in the middle
	// of the log: absent for RestartGap samples (default 3), then back
	// with RestartJump more handles (default 2000) and a new pid.
	Restarters  int
	RestartGap  int
	RestartJump int64
	// Noise is how far a count strays from its level (a leaker's from
	// its line), up or down, at each sample.
	Noise int64
	// NoPID leaves out the ID Process counters (processes are then told
	// apart by instance name); Threads adds Thread Count.
	NoPID, Threads bool
}

// Stats says what Write wrote.
type Stats struct {
	Bytes int64
	// Leakers and Restarters are the instance names of those processes.
	Leakers, Restarters []string
	// Instances holds each process's instance name, First and Last its
	// first and last handle counts.
	Instances   []string
	First, Last []int64
}

// images is the vocabulary of instance names; repeats get #1, #2...
var images = []string{"svchost", "chrome", "RuntimeBroker", "conhost", "dllhost", "w3wp", "sqlservr",
	"explorer", "MsMpEng", "lsass", "services", "WmiPrvSE", "spoolsv", "SearchIndexer", "taskhostw"}

type proc struct {
	instance    string
	pid, pid2   int64
	level       int64
	threads     int64
	leak, rests bool
}

// Write writes the log cfg describes to w.
func Write(w io.Writer, cfg Config) (Stats, error) {
	if cfg.Processes < 1 || cfg.Samples < 1 {
		return Stats{}, fmt.Errorf("countergen: want at least one process and one sample, not %d and %d", cfg.Processes, cfg.Samples)
	}
	if cfg.Leakers+cfg.Restarters > cfg.Processes {
		return Stats{}, fmt.Errorf("countergen: %d leakers and %d restarters are more than the %d processes", cfg.Leakers, cfg.Restarters, cfg.Processes)
	}
	if cfg.Host == "" {
		cfg.Host = "HOST01"
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	}
	if cfg.LeakPerHour == 0 {
		cfg.LeakPerHour = 600
	}
	if cfg.RestartGap == 0 {
		cfg.RestartGap = 3
	}
	if cfg.RestartJump == 0 {
		cfg.RestartJump = 2000
	}
	rng := rand.New(rand.NewSource(cfg.Seed))
	procs := make([]proc, cfg.Processes)
	seen := map[string]int{}
	var st Stats
	for i := range procs {
		name := images[i%len(images)]
		if i < cfg.Leakers {
			name = "contosoagent"
		}
		inst := name
		if n := seen[name]; n > 0 {
			inst = name + "#" + strconv.Itoa(n)
		}
		seen[name]++
		p := &procs[i]
		p.instance, p.pid, p.pid2 = inst, int64(4*(i+100)), int64(4*(i+100+cfg.Processes))
		p.level, p.threads = 100+rng.Int63n(3000), 4+rng.Int63n(60)
		p.leak = i < cfg.Leakers
		p.rests = i >= cfg.Leakers && i < cfg.Leakers+cfg.Restarters
		if p.leak {
			st.Leakers = append(st.Leakers, inst)
		}
		if p.rests {
			st.Restarters = append(st.Restarters, inst)
		}
		st.Instances = append(st.Instances, inst)
	}
	st.First, st.Last = make([]int64, len(procs)), make([]int64, len(procs))
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 256<<10)
	bw.WriteString(`"(PDH-CSV 4.0) (Coordinated Universal Time)(0)"`)
	for _, p := range procs {
		fmt.Fprintf(bw, `,"\\%s\Process(%s)\Handle Count"`, cfg.Host, p.instance)
		if !cfg.NoPID {
			fmt.Fprintf(bw, `,"\\%s\Process(%s)\ID Process"`, cfg.Host, p.instance)
		}
		if cfg.Threads {
			fmt.Fprintf(bw, `,"\\%s\Process(%s)\Thread Count"`, cfg.Host, p.instance)
		}
	}
	bw.WriteString("\r\n")
	gapFrom := cfg.Samples / 2
	buf := make([]byte, 0, 32)
	cell := func(v int64, blank bool) {
		bw.WriteString(`,"`)
		if blank {
			bw.WriteByte(' ')
		} else {
			buf = strconv.AppendInt(buf[:0], v, 10)
			bw.Write(buf)
		}
		bw.WriteByte('"')
	}
	perSample := cfg.LeakPerHour * cfg.Interval.Hours()
	leaked := make([]float64, len(procs))
	for s := 0; s < cfg.Samples; s++ {
		at := cfg.Start.Add(time.Duration(s) * cfg.Interval)
		bw.WriteString(`"` + at.Format("01/02/2006 15:04:05.000") + `"`)
		for i := range procs {
			p := &procs[i]
			v, pid := p.level, p.pid
			gone := false
			switch {
			case p.leak:
				if s > 0 {
					leaked[i] += perSample
				}
				v += int64(leaked[i])
				if cfg.Noise > 0 {
					// Handles closed now and then: the count dips.
					v += rng.Int63n(2*cfg.Noise+1) - cfg.Noise
				}
			case p.rests && s >= gapFrom && s < gapFrom+cfg.RestartGap:
				gone = true
			case p.rests && s >= gapFrom+cfg.RestartGap:
				v, pid = v+cfg.RestartJump, p.pid2
				fallthrough
			default:
				if cfg.Noise > 0 {
					v += rng.Int63n(2*cfg.Noise+1) - cfg.Noise
				}
			}
			if !gone {
				if s == 0 {
					st.First[i] = v
				}
				st.Last[i] = v
			}
			cell(v, gone)
			if !cfg.NoPID {
				cell(pid, gone)
			}
			if cfg.Threads {
				cell(p.threads, gone)
			}
		}
		bw.WriteString("\r\n")
	}
	err := bw.Flush()
	st.Bytes = cw.n
	return st, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
