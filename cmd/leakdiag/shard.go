package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/internal/version"
	"github.com/leakdiag/leakdiag/rules"
)

// shardEnv is the variable Kubernetes sets in each pod of an Indexed Job
// to its index: --shard /N reads K from it.
const shardEnv = "JOB_COMPLETION_INDEX"

// maxShards bounds N in --shard K/N.
const maxShards = 100000

// shardSpec is --shard K/N: the K-th (from 0) of N parts.
type shardSpec struct{ k, n int }

// parseShard reads --shard K/N, or /N with K from JOB_COMPLETION_INDEX
// (getenv reads the environment).
func parseShard(s string, getenv func(string) string) (shardSpec, error) {
	ks, ns, ok := strings.Cut(s, "/")
	if !ok {
		return shardSpec{}, fmt.Errorf("--shard %q: want K/N, the K-th (from 0) of N parts, or /N with K from %s", s, shardEnv)
	}
	n, err := strconv.Atoi(ns)
	if err != nil || n < 1 || n > maxShards {
		return shardSpec{}, fmt.Errorf("--shard %q: N %q is not a number of parts from 1 to %d", s, ns, maxShards)
	}
	from := "K"
	if ks == "" {
		ks, from = getenv(shardEnv), shardEnv
		if ks == "" {
			return shardSpec{}, fmt.Errorf("--shard /%d takes K from %s, which is not set (an Indexed Job sets it; elsewhere give --shard K/%d)", n, shardEnv, n)
		}
	}
	k, err := strconv.Atoi(ks)
	if err != nil || k < 0 || k >= n {
		return shardSpec{}, fmt.Errorf("--shard %q: %s %q is not a shard index from 0 to %d", s, from, ks, n-1)
	}
	return shardSpec{k, n}, nil
}

// String is K/N.
func (s shardSpec) String() string { return fmt.Sprintf("%d/%d", s.k, s.n) }

// shardOf is the shard of a key among n: FNV-1a (64 bits) of the key's
// bytes, modulo n.
func shardOf(key string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int(h.Sum64() % uint64(n))
}

// rulesVersion is a digest of the rule files that run, in the order they
// load: their contents, not their paths, so that workers that read the
// same rules from different places agree. "sha256:" and 16 hex digits.
func rulesVersion(srcs []rules.Source) string {
	h := sha256.New()
	var n [8]byte
	for _, s := range srcs {
		binary.BigEndian.PutUint64(n[:], uint64(len(s.Data)))
		h.Write(n[:])
		h.Write(s.Data)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

// loadVersioned is load, and the rules' version (rulesVersion) for the
// report of a shard.
func (f *ruleFlags) loadVersioned() (*rules.Set, string, error) {
	rf, err := f.read(nil)
	if err != nil {
		return nil, "", err
	}
	set, err := rf.load()
	if err != nil {
		return nil, "", err
	}
	return set, rulesVersion(rf.srcs), nil
}

// shardFile is a file the arguments name, and what it is sharded by: its
// path relative to the directory argument it was found under, or for a
// file named as an argument that argument, cleaned; slash-separated
// either way, so that workers that mount the captures in different places
// agree.
type shardFile struct {
	path, key string
	// walked is a file found in a directory, which is skipped when it is
	// no capture (see capturesOf).
	walked bool
}

// shardFiles lists every file the arguments name, in the order capturesOf
// takes them: each argument in turn, a directory's files in path order.
func shardFiles(args []string) ([]shardFile, error) {
	var files []shardFile
	for _, a := range args {
		if a == "-" {
			return nil, fmt.Errorf("--shard: standard input (-) cannot be split between workers: give the captures as files")
		}
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			files = append(files, shardFile{path: a, key: filepath.ToSlash(filepath.Clean(a))})
			continue
		}
		found, err := walkCaptures(a)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no capture files in the directory", a)
		}
		for _, f := range found {
			rel, err := filepath.Rel(a, f)
			if err != nil {
				rel = f
			}
			files = append(files, shardFile{path: f, key: filepath.ToSlash(rel), walked: true})
		}
	}
	return files, nil
}

// shardPart is a worker's part of the files the arguments name.
type shardPart struct {
	captures [][]string
	// positions are the captures' places among the files the arguments
	// name, skippedAt those of the files of the part skipped as no
	// captures.
	positions, skippedAt []int
	// all are every file the arguments name, every worker's.
	all  []string
	info engine.Shard
}

// shardCaptures keeps the files of shard s among those the arguments
// name, and of them, when sniff, skips those found in a directory that
// are no captures, as capturesOf does. A worker opens the files of its
// part only: the split is by path, before any file is read.
func shardCaptures(args []string, sniff bool, s shardSpec, rulesVer string) (*shardPart, []engine.SkippedFile, error) {
	files, err := shardFiles(args)
	if err != nil {
		return nil, nil, err
	}
	p := &shardPart{info: engine.Shard{Index: s.k, Count: s.n, Leakdiag: version.Get().String(), Rules: rulesVer,
		Inputs: len(files), Order: []int{}}}
	var skipped []engine.SkippedFile
	for i, f := range files {
		p.all = append(p.all, f.path)
		if shardOf(f.key, s.n) != s.k {
			continue
		}
		if f.walked && sniff {
			if _, skip := skipNonCaptures([]string{f.path}); len(skip) > 0 {
				skipped = append(skipped, skip...)
				p.skippedAt = append(p.skippedAt, i)
				continue
			}
		}
		p.captures = append(p.captures, []string{f.path})
		p.positions = append(p.positions, i)
	}
	return p, skipped, nil
}

// record is the report's Shard: the positions of the captures analysed
// (reports non-nil), then of those that failed, as the batch lists them,
// then of the files skipped. A nil part (no --shard) records none.
func (p *shardPart) record(reports []*engine.Report, errs []error) *engine.Shard {
	if p == nil {
		return nil
	}
	info := p.info
	for i, r := range reports {
		if r != nil {
			info.Order = append(info.Order, p.positions[i])
		}
	}
	for i, err := range errs {
		if err != nil {
			info.Order = append(info.Order, p.positions[i])
		}
	}
	info.Order = append(info.Order, p.skippedAt...)
	return &info
}
