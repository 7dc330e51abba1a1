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
