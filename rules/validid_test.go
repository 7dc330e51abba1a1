package rules

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestValidIDIsThePattern: ValidID accepts what IDPattern matches, and
// nothing else, on ids near its edges and random strings.
func TestValidIDIsThePattern(t *testing.T) {
	re := regexp.MustCompile(IDPattern)
	cases := []string{"", "LD0001", "a", "site.rule-1_x", strings.Repeat("A", 64), strings.Repeat("A", 65), "LD 1", "LD\n1", "LD\x1b[31m", "é", "LD/1", "LD:1", "\x00"}
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "aZ09_.-/ \n:é\x00\x7f"
	for range 5000 {
		b := make([]byte, rng.IntN(70))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		if got, want := ValidID(c), re.MatchString(c); got != want {
			t.Errorf("ValidID(%q) = %v, IDPattern says %v", c, got, want)
		}
	}
}
