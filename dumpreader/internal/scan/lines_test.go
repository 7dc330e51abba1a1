package scan

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func readAllLines(t *testing.T, in string) []string {
	t.Helper()
	lr := NewLineReader(strings.NewReader(in))
	var got []string
	for {
		line, ok := lr.Next()
		if !ok {
			break
		}
		got = append(got, string(line))
	}
	return got
}

func TestLineEndings(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"LF", "a\nb\n", []string{"a", "b"}},
		{"CRLF", "a\r\nb\r\n", []string{"a", "b"}},
		{"CR CR LF", "a\r\r\nb\r\r\n", []string{"a", "b"}},
		{"CR only", "a\rb\rc", []string{"a", "b", "c"}},
		{"no final newline", "a\nb", []string{"a", "b"}},
		{"blank lines kept", "a\n\n\nb\n", []string{"a", "", "", "b"}},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, readAllLines(t, tc.in)); diff != "" {
				t.Errorf("diff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLongLineIsCut(t *testing.T) {
	long := strings.Repeat("x", MaxLineLen+10)
	lr := NewLineReader(strings.NewReader("a\n" + long + "\nb\n"))
	var lens []int
	var cuts []bool
	for {
		line, ok := lr.Next()
		if !ok {
			break
		}
		lens = append(lens, len(line))
		cuts = append(cuts, lr.cut)
	}
	if diff := cmp.Diff([]int{1, MaxLineLen, 1}, lens); diff != "" {
		t.Errorf("line lengths: diff (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{false, true, false}, cuts); diff != "" {
		t.Errorf("cut flags: diff (-want +got):\n%s", diff)
	}
}

// TestLineReaderSniffsTheHead: the line ends are chosen from the start of
// the stream however it is read: read a byte at a time, a stream with LF
// ends keeps its CRs inside lines after the last LF, as read whole.
func TestLineReaderSniffsTheHead(t *testing.T) {
	in := "a\nb\rc"
	for name, r := range map[string]io.Reader{"whole": strings.NewReader(in), "bytes": iotest.OneByteReader(strings.NewReader(in))} {
		lr := NewLineReader(r)
		var got []string
		for {
			line, ok := lr.Next()
			if !ok {
				break
			}
			got = append(got, string(line))
		}
		if fmt.Sprintf("%q", got) != `["a" "b\rc"]` {
			t.Errorf("%s: %q", name, got)
		}
	}
}
