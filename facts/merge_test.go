package facts

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSetImageMerges: blocks of a capture that name one process object
// are merged by address; where they give it different images, the merge
// is said, not silent.
func TestSetImageMerges(t *testing.T) {
	tests := []struct {
		name string
		// images are what the blocks at lines 1, 2, ... say.
		images    []string
		wantImage string
		wantDiags []string
	}{{
		name:      "the same image twice",
		images:    []string{"agent.exe", "agent.exe"},
		wantImage: "agent.exe",
	}, {
		name:      "the same image in another case",
		images:    []string{"AGENT.EXE", "agent.exe"},
		wantImage: "AGENT.EXE",
	}, {
		name:      "an image where the first block had none",
		images:    []string{"", "agent.exe"},
		wantImage: "agent.exe",
	}, {
		name:      "two images at one address",
		images:    []string{"agent.exe", "updater.exe"},
		wantImage: "agent.exe",
		wantDiags: []string{"k.txt:2 warning merged-process: process object ffffe0012a3b4080 is updater.exe here but agent.exe at k.txt:1: " +
			"two processes merged as one (their handles are counted together); the image stays agent.exe"},
	}, {
		name:      "a conflict in every block",
		images:    []string{"a.exe", "b1.exe", "b2.exe", "b3.exe", "b4.exe", "b5.exe", "b6.exe", "b7.exe", "b8.exe", "b9.exe", "b10.exe", "b11.exe", "b12.exe"},
		wantImage: "a.exe",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBuilder()
			for i, image := range tc.images {
				pos := Position{Path: "k.txt", Line: int64(i + 1)}
				b.Process("ffffe0012a3b4080", pos).SetImage(image, pos)
			}
			s := b.Snapshot()
			if len(s.Processes) != 1 || s.Processes[0].Image != tc.wantImage {
				t.Fatalf("processes %+v, want one, %s", s.Processes, tc.wantImage)
			}
			var got []string
			for _, d := range s.Diagnostics {
				got = append(got, fmt.Sprintf("%s %s %s: %s", d.Where(), d.Severity, d.Code, d.Message))
			}
			if tc.name == "a conflict in every block" {
				if len(got) != mergeLimit+1 || s.Diagnostics[mergeLimit].Message != "2 more blocks give process ffffe0012a3b4080 other images" {
					t.Errorf("%d diagnostics, last %q; want %d and a count of 2 more", len(got), got[len(got)-1], mergeLimit+1)
				}
				return
			}
			if diff := cmp.Diff(tc.wantDiags, got); diff != "" {
				t.Errorf("diagnostics: diff (-want +got):\n%s", diff)
			}
		})
	}
}
