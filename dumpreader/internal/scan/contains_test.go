package scan

import (
	"bytes"
	"strings"
	"testing"
)

// TestContainsAgreesWithBytes checks Contains and ContainsFold against
// the bytes package on needles at every place of a haystack, and on
// near misses: a first byte that recurs, a needle cut by the end.
func TestContainsAgreesWithBytes(t *testing.T) {
	hay := "PoolMon.exe /b  rekall> pslist; handle64 -a poo"
	needles := []string{"", "p", "P", "poolmon", "POOLMON", "pool", "poo", "pooX", "rekal", "REKALL>", "handle64 -a poo", "handle64 -a pool", "xyz", "; h", "/B"}
	for i := 0; i <= len(hay); i++ {
		b := []byte(hay[i:])
		for _, s := range needles {
			if got, want := Contains(b, s), bytes.Contains(b, []byte(s)); got != want {
				t.Errorf("Contains(%q, %q) = %v, want %v", b, s, got, want)
			}
			want := strings.Contains(strings.ToLower(string(b)), strings.ToLower(s))
			if got := ContainsFold(b, s); got != want {
				t.Errorf("ContainsFold(%q, %q) = %v, want %v", b, s, got, want)
			}
		}
	}
}
