package counterlog

import (
	"strings"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// What a column of a counter log holds of a process.
type counter uint8

const (
	handleCount counter = iota
	threadCount
	idProcess
	privateBytes
	poolNonpaged
	nCounters
)

// processObjects are the names of the Process object, lower case: English,
// German, French, Spanish, Italian and Portuguese.
var processObjects = map[string]bool{
	"process":   true,
	"prozess":   true,
	"processus": true,
	"proceso":   true,
	"processo":  true,
}

// counterNames maps the names of the Process counters read, lower case,
// in the languages of processObjects as far as they are known reliably,
// to what they hold.
var counterNames = map[string]counter{
	"handle count":                  handleCount,
	"handleanzahl":                  handleCount,
	"nombre de handles":             handleCount,
	"número de identificadores":     handleCount,
	"thread count":                  threadCount,
	"threadanzahl":                  threadCount,
	"nombre de threads":             threadCount,
	"número de subprocesos":         threadCount,
	"id process":                    idProcess,
	"prozesskennung":                idProcess,
	"id de processus":               idProcess,
	"id. de proceso":                idProcess,
	"private bytes":                 privateBytes,
	"octets privés":                 privateBytes,
	"bytes privados":                privateBytes,
	"pool nonpaged bytes":           poolNonpaged,
	"octets de réserve non paginée": poolNonpaged,
}

// counterPath is a counter path split: \\HOST\Object(Instance)\Counter.
type counterPath struct {
	host, object, instance, counter string
}

// parsePath splits a counter path; ok is false for a cell that is none.
// The host is optional (\Object(Instance)\Counter), so is the instance
// (\Memory\Available Bytes). An instance may hold parentheses: it runs
// from the first "(" after the object to the last ")" before the
// counter.
func parsePath(s string) (counterPath, bool) {
	var p counterPath
	if strings.HasPrefix(s, `\\`) {
		rest := s[2:]
		i := strings.IndexByte(rest, '\\')
		if i <= 0 {
			return p, false
		}
		p.host, s = rest[:i], rest[i:]
	}
	if !strings.HasPrefix(s, `\`) {
		return p, false
	}
	s = s[1:]
	i := strings.LastIndexByte(s, '\\')
	if i <= 0 || i == len(s)-1 {
		return p, false
	}
	obj, ctr := s[:i], s[i+1:]
	if open := strings.IndexByte(obj, '('); open >= 0 {
		close := strings.LastIndexByte(obj, ')')
		if close < open {
			return p, false
		}
		p.instance = obj[open+1 : close]
		obj = obj[:open]
	}
	p.object, p.counter = obj, ctr
	return p, p.object != ""
}

// processCounter says which process counter a path is, if it is one.
func (p counterPath) processCounter() (counter, bool) {
	if !p.ofProcess() {
		return 0, false
	}
	c, ok := counterNames[strings.ToLower(p.counter)]
	return c, ok
}

// ofProcess reports whether a path is a counter of the Process object,
// one read (processCounter) or not (% Processor Time, IO Data Bytes/sec).
func (p counterPath) ofProcess() bool {
	return processObjects[strings.ToLower(p.object)]
}

// readCounters names the Process counters read, for the diagnostics of
// logs without them.
const readCounters = "Handle Count, Thread Count, ID Process, Private Bytes, Pool Nonpaged Bytes"

// notProcess says an instance of the Process object is no process:
// _Total sums the others, Idle is the idle threads.
func notProcess(instance string) bool {
	switch strings.ToLower(instance) {
	case "_total", "idle":
		return true
	}
	return false
}

// bareImages are processes whose images have no .exe.
var bareImages = map[string]bool{
	"system": true, "registry": true, "secure system": true, "memory compression": true,
}

// imageOf is the image of an instance: svchost#3 is svchost.exe.
func imageOf(instance string) string {
	name := instance
	if i := strings.LastIndexByte(name, '#'); i > 0 && scan.AllDigits(name[i+1:]) {
		name = name[:i]
	}
	if bareImages[strings.ToLower(name)] || strings.HasSuffix(strings.ToLower(name), ".exe") {
		return name
	}
	return name + ".exe"
}
