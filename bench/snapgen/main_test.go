package main

import (
	"bytes"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestWriteReadsBack: what snapgen writes is a valid snapshot, and
// leakdiag writes it back unchanged, so outputs of the benchmark compare
// byte for byte.
func TestWriteReadsBack(t *testing.T) {
	var buf bytes.Buffer
	if _, err := write(&buf, config{processes: 300, seed: 7, leakers: 2}); err != nil {
		t.Fatal(err)
	}
	s, err := facts.DecodeJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("DecodeJSON: %v", err)
	}
	if len(s.Processes) != 300 || len(s.Diagnostics) != 0 {
		t.Fatalf("%d processes, %d diagnostics (%v), want 300 and none", len(s.Processes), len(s.Diagnostics), s.Diagnostics)
	}
	var again bytes.Buffer
	if err := s.WriteJSON(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Errorf("WriteJSON of the decoded snapshot differs from what snapgen wrote")
	}
	var second bytes.Buffer
	if _, err := write(&second, config{processes: 300, seed: 7, leakers: 2}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(second.Bytes(), buf.Bytes()) {
		t.Errorf("the same flags wrote different bytes")
	}
}
