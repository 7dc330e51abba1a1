package rules

import "testing"

// TestApprox: a count is written plain when exact, and with what bounds
// it when an estimate.
func TestApprox(t *testing.T) {
	approx := messageFuncs["approx"].(func(int64, any) (string, error))
	for _, c := range []struct {
		n     int64
		bound any
		want  string
	}{
		{48210, false, "48,210"},
		{48210, true, "about 48,210 (estimate, ±3.3%)"},
		{45000, int64(0), "45,000"},
		{45000, int64(122), "at least 45,000 (estimate, up to 45,122)"},
	} {
		if got, err := approx(c.n, c.bound); err != nil || got != c.want {
			t.Errorf("approx %d %v = %q, %v; want %q", c.n, c.bound, got, err, c.want)
		}
	}
	if _, err := approx(1, "x"); err == nil {
		t.Errorf("approx with a string bound: no error")
	}
}

func TestPluralMessageFunc(t *testing.T) {
	plural := messageFuncs["plural"].(func(any, string) (string, error))
	for _, tc := range []struct {
		n    any
		noun string
		want string
	}{
		{int64(1), "process", "1 process"},
		{int64(0), "process", "0 processes"},
		{2048, "line", "2,048 lines"},
		{int64(3), "handle dump", "3 handle dumps"},
	} {
		if got, err := plural(tc.n, tc.noun); err != nil || got != tc.want {
			t.Errorf("plural %v %q = %q, %v; want %q", tc.n, tc.noun, got, err, tc.want)
		}
	}
	if _, err := plural("x", "line"); err == nil {
		t.Errorf("plural of a string: no error")
	}
}
