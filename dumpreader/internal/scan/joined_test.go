package scan

import "testing"

// TestJoined: a line read as pieces is parsed if a piece was, else
// ignored if a piece was, else unrecognized, in either order.
func TestJoined(t *testing.T) {
	for _, tc := range []struct{ a, b, want LineKind }{
		{Parsed, Unrecognized, Parsed},
		{Ignored, Parsed, Parsed},
		{Unrecognized, Ignored, Ignored},
		{Unrecognized, Unrecognized, Unrecognized},
	} {
		if got := Joined(tc.a, tc.b); got != tc.want {
			t.Errorf("Joined(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Joined(tc.b, tc.a); got != tc.want {
			t.Errorf("Joined(%d, %d) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}
