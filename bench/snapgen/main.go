// Command snapgen writes a large synthetic snapshot JSON (leakdiag's own
// capture format, facts.WriteJSON) for measuring leakdiag's memory on
// captures of many processes (bench/mem.sh), and prints what it wrote to
// standard error.
//
// Usage:
//
//	snapgen [-processes N] [-seed S] [-leakers N] -o FILE
//
// Each process looks like one of a kd capture read by leakdiag: a few
// handle types, a few unnamed types, top names whose first handles are
// at lines of the capture, peers of the same image. The file is written
// a process at a time, so it takes no memory to speak of, and is written
// as leakdiag writes a snapshot: `leakdiag facts --json FILE` prints it
// back unchanged. The same flags write the same bytes.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sort"

	"github.com/leakdiag/leakdiag/facts"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("snapgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var out string
	fs.IntVar(&cfg.processes, "processes", 500_000, "number of processes")
	fs.Uint64Var(&cfg.seed, "seed", 1, "random seed: the same flags write the same bytes")
	fs.IntVar(&cfg.leakers, "leakers", 3, "processes holding far more Event handles than their peers")
	fs.StringVar(&out, "o", "", "output file (required)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if out == "" || fs.NArg() > 0 || cfg.processes < 1 {
		fmt.Fprintln(stderr, "usage: snapgen [-processes N] [-seed S] [-leakers N] -o FILE")
		return 2
	}
	f, err := os.Create(out)
	if err != nil {
		fmt.Fprintln(stderr, "snapgen:", err)
		return 1
	}
	n, err := write(f, cfg)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "snapgen:", err)
		return 1
	}
	fmt.Fprintf(stderr, "snapgen: %s: %d bytes, %d processes\n", out, n, cfg.processes)
	return 0
}

type config struct {
	processes int
	seed      uint64
	leakers   int
}

// capturePath is the capture the snapshot says it was read from.
const capturePath = "captures/host-500k.txt"

var types = []string{
	"Event", "File", "Key", "ALPC Port", "Section", "Semaphore", "Thread", "Mutant",
	"IoCompletion", "WaitCompletionPacket", "TpWorkerFactory", "EtwRegistration",
	"Token", "Process", "Directory", "Desktop",
}

// common are the images many processes share; the others are app%04d.exe.
var common = []string{"svchost.exe", "chrome.exe", "RuntimeBroker.exe", "conhost.exe", "dllhost.exe"}

var keys = []string{
	`\REGISTRY\MACHINE\SOFTWARE\Classes\CLSID\{%08X-1C32-7E68-E37A-E1DA4A717CE1}`,
	`\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\Svc%d\Parameters`,
	`\REGISTRY\USER\S-1-5-21-1004336348-1177238915-682003330-%d\Software\Contoso`,
	`\Device\HarddiskVolume4\Users\user%d\AppData\Local\Temp\cache.db`,
	`\Sessions\1\BaseNamedObjects\Local\SM0:%d:168:WilStaging_02`,
}

// counting is an io.Writer that counts what it passes on.
type counting struct {
	w io.Writer
	n int64
}

func (c *counting) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// write writes the snapshot to w and returns its size.
func write(w io.Writer, cfg config) (int64, error) {
	cw := &counting{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	rng := rand.New(rand.NewPCG(cfg.seed, 0x5eed))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")

	// Lines of the capture a process takes, for positions and the source.
	const linesPer = 40
	total := int64(cfg.processes)*linesPer + 10
	src := facts.Source{Path: capturePath, Format: "kd",
		Lines: facts.LineCounts{Total: total, Parsed: total - 10, Ignored: 10}}
	srcJSON, err := json.MarshalIndent([]facts.Source{src}, "  ", "  ")
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(bw, "{\n  \"schema_version\": %d,\n  \"host\": \"BENCH-500K\",\n  \"sources\": %s,\n  \"processes\": [", facts.SchemaVersion, srcJSON)
	leakEvery := cfg.processes / (cfg.leakers + 1)
	for i := range cfg.processes {
		leak := cfg.leakers > 0 && leakEvery > 0 && i > 0 && i%leakEvery == 0 && i/leakEvery <= cfg.leakers
		p := process(rng, i, int64(i)*linesPer+11, leak)
		buf.Reset()
		if err := enc.Encode(p); err != nil {
			return 0, err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ],\n  \"diagnostics\": []\n}\n")
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	return cw.n, nil
}

// process makes the i-th process, whose block starts at line.
func process(rng *rand.Rand, i int, line int64, leak bool) *facts.Process {
	pid := uint64(4 * (i + 1))
	p := &facts.Process{
		PID:            pid,
		PPID:           uint64(4 * (rng.IntN(i+1) + 1)),
		Address:        fmt.Sprintf("ffff%012x", 0xc4613ec00000+uint64(i)*0x340),
		ObjectTable:    fmt.Sprintf("ffff%012x", 0xa8010f000000+uint64(i)*0x180),
		TypeCountsFrom: facts.CountsFromHandles,
		ByType:         map[string]int64{},
		UnnamedByType:  map[string]int64{},
		Threads:        int64(1 + rng.IntN(40)),
		Source:         facts.Position{Path: capturePath, Line: line},
	}
	if i%3 == 0 {
		p.Image = common[rng.IntN(len(common))]
	} else {
		p.Image = fmt.Sprintf("app%04d.exe", rng.IntN(5000))
	}
	session := int64(rng.IntN(3))
	p.Session = &session
	// A few types, the first ones most often.
	k := 3 + rng.IntN(6)
	var sum int64
	for range k {
		t := types[min(rng.IntN(len(types)), rng.IntN(len(types)))]
		n := int64(1 + rng.IntN(120))
		p.ByType[t] += n
		sum += n
	}
	if leak {
		p.ByType["Event"] += 200_000
		sum += 200_000
	}
	exited := rng.IntN(200) == 0
	if exited {
		p.Exited, p.Threads, p.TerminatedThreads = true, 0, int64(1+rng.IntN(4))
	}
	p.HandleCount, p.TableEntries, p.HandlesParsed = &sum, &sum, sum
	// The dominant type: most handles, ties to the name first in order.
	for t, n := range p.ByType {
		if n > p.ByType[p.DominantType] || n == p.ByType[p.DominantType] && t < p.DominantType {
			p.DominantType = t
		}
	}
	p.DominantShare = float64(p.ByType[p.DominantType]) / float64(sum)
	// Unnamed handles of a few of its types, taken in order: the random
	// numbers must not follow the map's order.
	held := make([]string, 0, len(p.ByType))
	for t := range p.ByType {
		held = append(held, t)
	}
	sort.Strings(held)
	for _, t := range held {
		n := p.ByType[t]
		if rng.IntN(2) == 0 || t == "Event" && leak {
			u := n / 2
			if t == "Event" && leak {
				u = n - 3
			}
			if u > 0 {
				p.UnnamedByType[t] = u
				p.Unnamed += u
			}
		}
	}
	named := sum - p.Unnamed
	// Top names: up to five, most held first.
	nn := min(int64(5), named)
	counts := make([]int64, nn)
	for j := range counts {
		counts[j] = int64(1 + rng.IntN(5))
	}
	sort.Slice(counts, func(a, b int) bool { return counts[a] > counts[b] })
	for j, c := range counts {
		tmpl := keys[rng.IntN(len(keys))]
		name := fmt.Sprintf(tmpl, rng.IntN(1_000_000))
		typ := "Key"
		if tmpl[1] != 'R' {
			typ = "File"
		}
		p.TopNames = append(p.TopNames, facts.NameCount{Name: name, Type: typ, Count: c,
			First: facts.Position{Path: capturePath, Line: line + 4 + int64(j)}})
	}
	p.DistinctNames = min(named, nn+int64(rng.IntN(60)))
	if p.TopNames == nil {
		p.TopNames = []facts.NameCount{}
	}
	p.OpenStacks = []facts.Stack{}
	return p
}
