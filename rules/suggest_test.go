package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNearest(t *testing.T) {
	ids := []string{"LD0001", "LD0002", "LD0009", "LD0010", "LD0019", "LD0027", "LD0028", "SITE0001"}
	for _, tc := range []struct {
		word string
		want []string
	}{
		{"LD9999", []string{"LD0019", "LD0009", "LD0028"}}, // 3 edits, the nearest number first
		{"LD0100", []string{"LD0010", "LD0019", "LD0009"}}, // a swap, then 2 edits by the nearest number
		{"ld0029", []string{"LD0028", "LD0027", "LD0019"}},
		{"SITE1", []string{"SITE0001", "LD0001", "LD0010"}},
		{"x", []string{"LD0001", "LD0002", "LD0009"}},
	} {
		if got := Nearest(tc.word, ids, 3); !cmp.Equal(got, tc.want) {
			t.Errorf("Nearest(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
	if got := Nearest("LD0001", nil, 3); len(got) != 0 {
		t.Errorf("Nearest among none = %v", got)
	}
}
