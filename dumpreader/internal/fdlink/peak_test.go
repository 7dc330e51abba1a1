package fdlink

import "testing"

func TestPeak(t *testing.T) {
	tests := []struct {
		top  int64
		want int64
		ok   bool
	}{
		{-1, 0, false},
		{9999, 0, false},
		{10000, 10001, true},
		{12309, 12310, true},
		{1 << 40, 0, false},
	}
	for _, tc := range tests {
		got, ok := Peak(tc.top)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Peak(%d) = %d, %v, want %d, %v", tc.top, got, ok, tc.want, tc.ok)
		}
	}
}
