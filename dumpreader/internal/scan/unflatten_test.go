package scan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUnflatten: a line is cut before each place a line began, its pieces
// trimmed, blank ones dropped; past MaxFlatPieces the last piece is the
// rest of the line.
func TestUnflatten(t *testing.T) {
	line := []byte("  PROCESS 81a1 Image: a.exe   PROCESS 81b2   Image: b.exe ")
	starts := func(i int) bool {
		return line[i-1] == ' ' && (bytes.HasPrefix(line[i:], []byte("PROCESS ")) || bytes.HasPrefix(line[i:], []byte("Image:")))
	}
	var got []string
	for _, p := range Unflatten(line, nil, starts) {
		got = append(got, string(p))
	}
	want := []string{"PROCESS 81a1", "Image: a.exe", "PROCESS 81b2", "Image: b.exe"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pieces: diff (-want +got):\n%s", diff)
	}
	if got := Unflatten([]byte("no line starts here"), nil, func(int) bool { return false }); len(got) != 1 {
		t.Errorf("a line without a start: %d pieces, want the line itself", len(got))
	}
	long := []byte(strings.Repeat("x ", MaxFlatPieces+10))
	pieces := Unflatten(long, nil, func(i int) bool { return long[i-1] == ' ' })
	if len(pieces) != MaxFlatPieces {
		t.Fatalf("%d pieces, want at most %d", len(pieces), MaxFlatPieces)
	}
	if last := pieces[len(pieces)-1]; len(last) <= 1 {
		t.Errorf("the last piece is %q, want the rest of the line", last)
	}
}
