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
