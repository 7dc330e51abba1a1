package counterlog

import (
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// What a column of a counter log holds of the machine's memory: a
// counter of the Memory object, which has no instances.
type memCounter uint8

const (
	memNonpaged memCounter = iota
	memPaged
	memAvailable
	memCommitted
	memCommitLimit
	nMem
)

// memorySlot is the slot of a column holding a Memory counter (colRef):
// no process's.
const memorySlot = -2

// memoryObjects are the names of the Memory object, lower case, in the
// languages of processObjects.
var memoryObjects = map[string]bool{
	"memory":   true,
	"speicher": true,
	"mémoire":  true,
	"memoria":  true,
}

// memoryNames maps the names of the Memory counters read, lower case, to
// what they hold: the kernel pools in use, as Performance Monitor's
// documentation for a pool leak has them watched, and the memory and
// commit a !vm summary gives.
var memoryNames = map[string]memCounter{
	"pool nonpaged bytes":           memNonpaged,
	"octets de réserve non paginée": memNonpaged,
	"pool paged bytes":              memPaged,
	"octets de réserve paginée":     memPaged,
	"available bytes":               memAvailable,
	"committed bytes":               memCommitted,
	"commit limit":                  memCommitLimit,
}

// memoryCounter says which Memory counter a path is, if it is one read.
func (p counterPath) memoryCounter() (memCounter, bool) {
	if !memoryObjects[strings.ToLower(p.object)] || p.instance != "" {
		return 0, false
	}
	c, ok := memoryNames[strings.ToLower(p.counter)]
	return c, ok
}

// blankMemory is a sample's Memory values before any is read.
func blankMemory() [nMem]int64 {
	var m [nMem]int64
	for i := range m {
		m[i] = -1
	}
	return m
}

// memoryOf is the memory summary of a sample's Memory values, nil when it
// has none: sizes in KB, as !vm's are.
func memoryOf(mem [nMem]int64, at facts.Position) *facts.Memory {
	vm := &facts.VM{Warnings: []string{}, TopCommit: []facts.ProcessCommit{}, Source: at, Counters: true}
	known := false
	for c, dst := range map[memCounter]**int64{
		memNonpaged: &vm.NonPagedPoolKB, memPaged: &vm.PagedPoolKB, memAvailable: &vm.AvailableKB,
		memCommitted: &vm.CommitKB, memCommitLimit: &vm.CommitLimitKB,
	} {
		if mem[c] >= 0 {
			kb := mem[c] / 1024
			*dst, known = &kb, true
		}
	}
	if !known {
		return nil
	}
	return &facts.Memory{VM: vm}
}
