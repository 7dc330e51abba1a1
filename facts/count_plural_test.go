package facts

import "testing"

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "finding", "0 findings"},
		{1, "finding", "1 finding"},
		{2048, "finding", "2,048 findings"},
		{3, "process", "3 processes"},
		{1, "process", "1 process"},
	} {
		if got := Plural(tc.n, tc.noun); got != tc.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
	if got := ImageName(""); got != "(unknown image)" {
		t.Errorf("ImageName(%q) = %q, want %q", "", got, "(unknown image)")
	}
}

// A part is never written as all or as nothing.
func TestFormatShare(t *testing.T) {
	for _, c := range []struct {
		share float64
		want  string
	}{
		{0, "0%"}, {1, "100%"}, {0.914, "91%"}, {0.5, "50%"}, {0.005, "1%"}, {0.995, "99.5%"},
		{0.9974, "99.7%"}, {0.003, "0.3%"}, {0.0004, "<0.1%"}, {0.99996, ">99.9%"}, {1.3, "130%"},
	} {
		if got := FormatShare(c.share); got != c.want {
			t.Errorf("FormatShare(%v) = %q, want %q", c.share, got, c.want)
		}
	}
}
