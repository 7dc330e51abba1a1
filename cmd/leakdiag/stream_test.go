package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A snapshot JSON file past streamAbove is read as a stream; facts and
// analyze print what they print for it held whole, byte for byte, in
// every format, with the same exit code.
func TestStreamedSnapshotReportsAsHeld(t *testing.T) {
	captures, err := filepath.Glob("../../testdata/kd/*.txt")
	if err != nil || len(captures) < 5 {
		t.Fatalf("%d kd captures (%v)", len(captures), err)
	}
	captures = append(captures, "../../testdata/examples/registry-leak-contoso-agent.txt")
	defer func(v int64) { streamAbove = v }(streamAbove)
	dir := t.TempDir()
	for _, c := range captures {
		code, snapJSON, errOut := runCLI(t, "facts", "--format", "json", c)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", c, code, errOut)
		}
		path := filepath.Join(dir, filepath.Base(c)+".json")
		if err := os.WriteFile(path, []byte(snapJSON), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"facts", path},
			{"facts", "--format", "json", path},
			{"analyze", "--format", "json", path},
			{"analyze", "--format", "text", path},
			{"analyze", "--format", "sarif", "--fail-on", "never", path},
		} {
			streamAbove = 1 << 62
			heldCode, held, heldErr := runCLI(t, args...)
			streamAbove = 0
			code, got, gotErr := runCLI(t, args...)
			if code != heldCode || got != held || gotErr != heldErr {
				t.Errorf("%v: streamed: exit %d, %d bytes, stderr %q; held: exit %d, %d bytes, stderr %q", args, code, len(got), gotErr, heldCode, len(held), heldErr)
			}
			if args[0] == "facts" && len(args) == 4 && got != snapJSON {
				t.Errorf("%s: the stream's JSON is not the snapshot's", path)
			}
		}
	}
}
