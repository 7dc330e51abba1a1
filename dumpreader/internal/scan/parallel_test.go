package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/leakdiag/leakdiag/facts"
)

// linesOf reads r with ReadLines, or ReadLinesParallel when par has
// workers, and returns every line as readLine saw it, numbered, with what
// the workers made of it (its length), and the log and the ends.
func linesOf(r io.Reader, par Parallel) string {
	var out bytes.Buffer
	log := facts.NewSourceLog("t", "kd")
	var n int64
	var clean Cleaner
	prep := func() func(raw []byte, out *int) {
		return func(raw []byte, out *int) { *out = len(raw) + 1 }
	}
	last, unterminated, err := ReadLinesParallel(r, log, &n, &clean, par, prep, func(raw []byte, pre *int) LineKind {
		if *pre != 0 && *pre != len(raw)+1 { // 0: read serially
			fmt.Fprintf(&out, "line %d: prepared as %d bytes, is %d\n", n, *pre-1, len(raw))
		}
		fmt.Fprintf(&out, "%d %q\n", n, raw)
		switch {
		case len(raw) == 0:
			return Ignored
		case raw[0] == '?':
			return Unrecognized
		}
		return Parsed
	})
	fmt.Fprintf(&out, "last %d unterminated %v err %v lines %+v\n", last, unterminated, err, log.Lines)
	b := facts.NewBuilder()
	b.AddSource(log)
	for _, d := range b.Snapshot().Diagnostics {
		fmt.Fprintf(&out, "%d %s %s\n", d.Line, d.Code, d.Message)
	}
	return out.String()
}

// TestReadLinesParallelSplitsAsLineReader: the lines, their numbers,
// accounting and diagnostics, the last line's account, whether it had a
// break and the error are ReadLines', for streams of short and long lines,
// CRLF and CR alone, read whole, a byte at a time or failing midway,
// with any workers and chunk size.
func TestReadLinesParallelSplitsAsLineReader(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var inputs [][]byte
	for i := 0; i < 12; i++ {
		var b []byte
		for j := rng.IntN(400); j > 0; j-- {
			switch rng.IntN(12) {
			case 0:
				b = append(b, '\n')
			case 1:
				b = append(b, '\r')
			case 2:
				b = append(b, '?')
			default:
				b = append(b, byte('a'+rng.IntN(26)))
			}
		}
		inputs = append(inputs, b)
	}
	long := bytes.Repeat([]byte("L"), MaxLineLen)
	inputs = append(inputs,
		[]byte("a\r\nb\r\n\r\nc"),
		[]byte("only CRs\rhere\r"),
		append(append([]byte("x\n"), long...), "\nafter\n"...),
		append(append([]byte("x\n"), long[:MaxLineLen-1]...), "\nafter\n"...),
		append(append([]byte("x\n"), long...), "tail without end"...),
		append(append([]byte("x\n"), long...), long...),
		append(append([]byte("x\n"), long[:MaxLineLen-1]...), '\r', '\n'),
		bytes.Repeat([]byte("line\n"), 30000),
	)
	boom := errors.New("boom")
	for i, in := range inputs {
		readers := map[string]func() io.Reader{
			"whole":  func() io.Reader { return bytes.NewReader(in) },
			"bytes":  func() io.Reader { return iotest.OneByteReader(bytes.NewReader(in)) },
			"failed": func() io.Reader { return io.MultiReader(bytes.NewReader(in[:len(in)/2]), iotest.ErrReader(boom)) },
		}
		for rname, open := range readers {
			if rname == "bytes" && len(in) > 100000 {
				continue
			}
			want := linesOf(open(), Parallel{})
			for _, par := range []Parallel{{1, 1, true}, {2, 3, true}, {3, 64, false}, {2, 5000, true}, {2, 0, false}} {
				if got := linesOf(open(), par); got != want {
					t.Errorf("input %d, %s, %+v: differs from ReadLines\n%s", i, rname, par, firstDiff(want, got))
				}
			}
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := bytes.Split([]byte(a), []byte("\n")), bytes.Split([]byte(b), []byte("\n"))
	for i := 0; i < len(al) && i < len(bl); i++ {
		if !bytes.Equal(al[i], bl[i]) {
			return fmt.Sprintf("serial:   %.200q\nparallel: %.200q", al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, %d lines", len(al), len(bl))
}
