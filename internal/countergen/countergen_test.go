package countergen

import (
	"bytes"
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	cfg := Config{Processes: 30, Samples: 50, Leakers: 2, Restarters: 3, Noise: 7, Seed: 9, Threads: true}
	var a, b bytes.Buffer
	sa, err := Write(&a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&b, cfg); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same config wrote different logs")
	}
	if sa.Bytes != int64(a.Len()) {
		t.Errorf("Stats.Bytes %d, wrote %d", sa.Bytes, a.Len())
	}
	lines := strings.Split(strings.TrimSuffix(a.String(), "\r\n"), "\r\n")
	if len(lines) != 51 {
		t.Fatalf("%d lines, want a header and 50 rows", len(lines))
	}
	if got := strings.Count(lines[0], `\Handle Count"`); got != 30 {
		t.Errorf("header names %d Handle Count counters, want 30", got)
	}
	if len(sa.Leakers) != 2 || len(sa.Restarters) != 3 || sa.Leakers[1] != "contosoagent#1" {
		t.Errorf("leakers %v, restarters %v", sa.Leakers, sa.Restarters)
	}
	if sa.Last[0] <= sa.First[0] {
		t.Errorf("the leaker went from %d to %d", sa.First[0], sa.Last[0])
	}
	// A restarter is blank for RestartGap samples in the middle (Handle
	// Count, ID Process and Thread Count each).
	if got := strings.Count(lines[26], `" "`); got != 3*3 {
		t.Errorf("row 26 has %d blanks, want 9: %s", got, lines[26])
	}
}

func TestBadConfig(t *testing.T) {
	for _, cfg := range []Config{{}, {Processes: 1}, {Processes: 2, Samples: 2, Leakers: 2, Restarters: 1}} {
		if _, err := Write(&bytes.Buffer{}, cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}
