package fdcount

import "testing"

// TestSummarizes checks which command lines summarize lsof's rows: a
// column cut out of them, then counted.
func TestSummarizes(t *testing.T) {
	for cmd, want := range map[string]bool{
		"lsof | awk '{print $2}' | sort | uniq -c | sort -rn | head":  true,
		"sudo lsof | cut -d ' ' -f1 | sort | uniq -c":                 true,
		"lsof -n | cut -f1 -d' ' | uniq --count | sort":               true,
		"lsof -u app | awk '{p[$2]++}END{for (i in p) print p[i],i}'": true,
		"lsof -p 4242 | sort | uniq -c":                               false, // rows after counts
		"lsof -p 4242 | awk '{print $9}' | sort":                      false, // no counts
		"lsof -p 4242 | awk '{print $9}' | uniq -u":                   false,
		"lsof -p 4242 | wc -l":                                        false,
		"lsof -p 4242":                                                false,
	} {
		if got := Summarizes([]byte(cmd)); got != want {
			t.Errorf("Summarizes(%q) = %v, want %v", cmd, got, want)
		}
	}
}

// TestSummaryLines checks the lines a summary is read from, and that the
// first other line ends it.
func TestSummaryLines(t *testing.T) {
	s := Summary{Active: true}
	for i, line := range []string{"Password:", "  22116 4242", "   3146 4343", "    182 "} {
		if !s.Line([]byte(line), int64(i+2)) {
			t.Errorf("Line(%q) = false, want true", line)
		}
	}
	if s.Line([]byte("see above"), 6) || s.Active || s.Line([]byte("  12 4545"), 7) {
		t.Errorf("a line of prose did not end the summary")
	}
	line, msg, ok := s.Finish()
	if !ok || line != 3 || msg == "" {
		t.Errorf("Finish() = %d, %q, %v; want line 3", line, msg, ok)
	}
	if _, _, ok := (&Summary{}).Finish(); ok {
		t.Errorf("Finish() of no summary = ok")
	}
}
