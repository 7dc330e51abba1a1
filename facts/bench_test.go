package facts_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

var (
	benchOnce sync.Once
	benchSnap *facts.Snapshot
	benchJSON []byte
)

// benchSnapshot is an ordinary capture: 4,000 processes of a few dozen
// to a few hundred handles over seven types, named and not.
func benchSnapshot(tb testing.TB) (*facts.Snapshot, []byte) {
	benchOnce.Do(func() {
		images := []string{"svchost.exe", "chrome.exe", "sqlservr.exe", "w3wp.exe", "agent.exe", "explorer.exe", "store.exe"}
		types := []string{"Event", "File", "Key", "Section", "Mutant", "ALPC Port", "Thread"}
		b := facts.NewBuilder()
		for i := range 4000 {
			p := b.Process(fmt.Sprintf("ffff%012x", i), facts.Position{Path: "bench.txt", Line: int64(i*300 + 1)})
			p.P.PID, p.P.Image = uint64(4*i+8), images[i%len(images)]
			handles := 50 + i%400
			n := int64(handles)
			p.P.HandleCount = &n
			for h := range handles {
				typ := types[(h*7+i)%len(types)]
				hd := &facts.Handle{Value: uint64(4 * (h + 1)), Type: typ, Naming: facts.Unnamed,
					Pos: facts.Position{Path: "bench.txt", Line: int64(i*300 + h + 2)}}
				if h%3 == 0 {
					hd.Naming, hd.Name = facts.Named, fmt.Sprintf(`\REGISTRY\MACHINE\SOFTWARE\Vendor%d\Key%d`, i%50, h%40)
				}
				p.AddHandle(hd)
			}
		}
		benchSnap = b.Snapshot()
		var buf bytes.Buffer
		if err := benchSnap.WriteJSON(&buf); err != nil {
			tb.Fatal(err)
		}
		benchJSON = buf.Bytes()
	})
	return benchSnap, benchJSON
}

func BenchmarkWriteText(b *testing.B) {
	s, _ := benchSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.WriteText(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeJSON(b *testing.B) {
	_, data := benchSnapshot(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := facts.DecodeJSON(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkViews(b *testing.B) {
	s, _ := benchSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		facts.Views(s)
	}
}

// BenchmarkBuilderMemory measures the heap a builder holds for each of
// 20,000 processes until the capture is read: with 10 handles each, 5 of
// them named, and with none (a !process 0 0 listing, a capture of zombies
// by the hundred thousand). It is the figure that sets the memory of
// reading a kd capture of 500,000 processes (bench/mem.sh).
func BenchmarkBuilderMemory(b *testing.B) {
	for _, handles := range []int{10, 0} {
		b.Run(fmt.Sprintf("handles=%d", handles), func(b *testing.B) {
			reportHeapPerProcess(b, func() any { return manyProcesses(handles) })
		})
	}
}

// BenchmarkSnapshotMemory measures the heap the snapshot of the same
// processes holds once built, the builder let go of: what a run holds
// while its rules run, and half of what finishing the processes holds at
// its end (the other half: the builders of those not finished yet).
func BenchmarkSnapshotMemory(b *testing.B) {
	for _, handles := range []int{10, 0} {
		b.Run(fmt.Sprintf("handles=%d", handles), func(b *testing.B) {
			reportHeapPerProcess(b, func() any { return manyProcesses(handles).Snapshot() })
		})
	}
}

// manyProcessesN is how many processes manyProcesses adds.
const manyProcessesN = 20_000

// manyProcesses returns a builder of manyProcessesN processes of an image
// each, with handles handles of five types, half of them named (64 names).
func manyProcesses(handles int) *facts.Builder {
	names := make([]string, 64)
	for i := range names {
		names[i] = fmt.Sprintf(`\REGISTRY\MACHINE\SOFTWARE\Vendor\Key%d`, i)
	}
	types := []string{"Event", "File", "Key", "Section", "Mutant"}
	bld := facts.NewBuilder()
	for i := range manyProcessesN {
		p := bld.Process(fmt.Sprintf("ffff%012x", i), facts.Position{Path: "kd.txt", Line: int64(i)})
		p.P.PID, p.P.Image = uint64(4*i+8), "app.exe"
		p.SetImage("app.exe", facts.Position{Path: "kd.txt", Line: int64(i)})
		for h := range handles {
			hd := &facts.Handle{Value: uint64(4 * (h + 1)), Type: types[(h+i)%5], Naming: facts.Unnamed, Pos: facts.Position{Path: "kd.txt", Line: int64(i*10 + h)}}
			if h%2 == 0 {
				hd.Naming, hd.Name = facts.Named, names[(i+h)%64]
			}
			p.AddHandle(hd)
		}
	}
	return bld
}

// reportHeapPerProcess runs build b.N times and reports the live heap
// what it returns holds, per process of manyProcesses.
func reportHeapPerProcess(b *testing.B, build func() any) {
	var perProcess float64
	for range b.N {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		held := build()
		runtime.GC()
		runtime.ReadMemStats(&m1)
		perProcess = float64(m1.HeapAlloc-m0.HeapAlloc) / manyProcessesN
		runtime.KeepAlive(held)
	}
	b.ReportMetric(perProcess, "heap-B/process")
}

// BenchmarkAddHandle measures what reading a capture costs once its lines
// are parsed (the part a kd reader runs in order): a leaker's handles,
// each to a file of its own name (its name table full, so a Space-Saving
// summary), and the handles of processes whose few hundred names repeat
// (their tables indexed, exact). Names are made before the timer starts.
func BenchmarkAddHandle(b *testing.B) {
	const n = 200_000
	distinct := make([]string, n)
	repeated := make([]string, 500)
	for i := range distinct {
		distinct[i] = fmt.Sprintf(`\Program Files\Vendor\Logs\req-%07d.log {HarddiskVolume4}`, i)
	}
	for i := range repeated {
		repeated[i] = fmt.Sprintf(`\REGISTRY\MACHINE\SOFTWARE\Vendor%d\Key%d`, i%50, i)
	}
	for _, bc := range []struct {
		name  string
		names []string
	}{{"distinct", distinct}, {"repeated", repeated}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				bld := facts.NewBuilder()
				p := bld.Process("ffff0001", facts.Position{Path: "kd.txt", Line: 1})
				for h := range n {
					hd := facts.Handle{Value: uint64(4 * (h + 1)), Type: "File", Naming: facts.Named, Name: bc.names[h%len(bc.names)],
						Pos: facts.Position{Path: "kd.txt", Line: int64(5*h + 2)}}
					if h%7 == 0 {
						hd.Type, hd.Naming, hd.Name = "Event", facts.Unnamed, ""
					}
					p.AddHandle(&hd)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/handle")
		})
	}
}

// BenchmarkSnapshotManyProcesses measures what Builder.Snapshot takes to
// finish, check and order the processes of a capture of many (a zombie
// leak lists hundreds of thousands), in an order other than the pids':
// building them is not timed.
func BenchmarkSnapshotManyProcesses(b *testing.B) {
	const n = 100_000
	for range b.N {
		b.StopTimer()
		bld := facts.NewBuilder()
		for i := range n {
			p := bld.Process(fmt.Sprintf("ffff%012x", i), facts.Position{Path: "kd.txt", Line: int64(i * 6)})
			p.P.PID, p.P.Image = uint64(4*((i*7919)%n)+8), "app.exe"
			p.P.Exited = i%3 == 0
			hd := &facts.Handle{Value: 4, Type: "Event", Naming: facts.Unnamed, Pos: facts.Position{Path: "kd.txt", Line: int64(i*6 + 5)}}
			p.AddHandle(hd)
		}
		b.StartTimer()
		if s := bld.Snapshot(); len(s.Processes) != n {
			b.Fatalf("%d processes, want %d", len(s.Processes), n)
		}
	}
}
