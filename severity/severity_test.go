package severity

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Level
		ok   bool
	}{
		{"info", Info, true}, {"warning", Warning, true}, {"error", Error, true},
		{"", "", false}, {"Warning", "", false}, {"never", "", false},
	} {
		got, err := Parse(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("Parse(%q) = %q, %v, want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestAtLeast(t *testing.T) {
	order := []Level{Info, Warning, Error}
	for i, a := range order {
		for j, b := range order {
			if got, want := a.AtLeast(b), i >= j; got != want {
				t.Errorf("%s.AtLeast(%s) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func TestFailOn(t *testing.T) {
	for _, tc := range []struct {
		failOn string
		fails  []Level
	}{
		{"info", []Level{Info, Warning, Error}},
		{"warning", []Level{Warning, Error}},
		{"error", []Level{Error}},
		{"never", nil},
	} {
		f, err := ParseFailOn(tc.failOn)
		if err != nil {
			t.Fatalf("ParseFailOn(%q): %v", tc.failOn, err)
		}
		for _, l := range All {
			want := false
			for _, x := range tc.fails {
				want = want || x == l
			}
			if got := f.Fails(l); got != want {
				t.Errorf("FailOn(%q).Fails(%s) = %v, want %v", tc.failOn, l, got, want)
			}
		}
	}
	if _, err := ParseFailOn("warn"); err == nil {
		t.Errorf("ParseFailOn(%q) = nil error, want one", "warn")
	}
}
