package rules

import (
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
)

// TestCELUntrackedWithinLimits: a condition whose cost estimate at the
// facts' limits is within the cost limit gets a program without run-time
// cost tracking, used only for views known to be within those limits; a
// condition that loops over by_type, whose limit is a million types,
// keeps the tracking; both give the same answers.
func TestCELUntrackedWithinLimits(t *testing.T) {
	set := mustLoad(t, src("a.yaml", `lists:
  images: [agent.exe, other.exe]
rules:
  - id: CHEAP
    title: t
    when: process.handles > 10 && process.top_name.name.startsWith("\\REGISTRY") && process.image in lists.images
  - id: LOOP
    title: t
    when: process.by_type.exists(k, k.startsWith("K"))
`))
	cheap, loop := set.Rules[0].cond.(*celProgram), set.Rules[1].cond.(*celProgram)
	if cheap.fast == nil {
		t.Errorf("CHEAP: no untracked program")
	}
	if loop.fast != nil {
		t.Errorf("LOOP: an untracked program, though by_type may hold a million types")
	}
	b := facts.NewBuilder()
	pb := b.ProcessByPID(8, facts.Position{Path: "c.txt", Line: 1})
	pb.P.Image = "agent.exe"
	for i := range 20 {
		pb.AddHandle(&facts.Handle{Value: uint64(4 * (i + 1)), Type: "Key", Naming: facts.Named, Name: `\REGISTRY\A`})
	}
	sv, procs := facts.Views(b.Snapshot())
	if !procs[0].WithinLimits() {
		t.Fatal("the view is not within the limits")
	}
	unchecked := procs[0] // the same facts, not known to be within the limits
	var plain facts.ProcessFacts
	plain.Handles, plain.Image, plain.TopName, plain.ByType = unchecked.Handles, unchecked.Image, unchecked.TopName, unchecked.ByType
	for _, r := range set.Rules {
		a, errA := r.Match(&sv, &procs[0])
		b, errB := r.Match(&sv, &plain)
		if !a || !b || errA != nil || errB != nil {
			t.Errorf("%s: %v %v with the untracked program, %v %v with the tracked one; want true", r.ID, a, errA, b, errB)
		}
	}
}

// TestCELStringList: a list made once for CEL answers as CEL's own list
// does: membership of strings (by its set) and of other values, size,
// indexing, macros, and a list param alike.
func TestCELStringList(t *testing.T) {
	set := mustLoad(t, src("a.yaml", `lists:
  images: [agent.exe, other.exe]
rules:
  - id: R
    title: t
    when: >-
      process.image in lists.images && !("x.exe" in lists.images) &&
      size(lists.images) == 2 && lists.images[1] == "other.exe" &&
      lists.images.exists(i, i.startsWith("oth")) && process.dominant_type in params.types
    params:
      types: [Key, File]
`))
	for _, image := range []string{"agent.exe", "x.exe"} {
		pf := &facts.ProcessFacts{Image: image, DominantType: "Key"}
		got, err := set.Rules[0].Match(noSnapshot, pf)
		if want := image == "agent.exe"; got != want || err != nil {
			t.Errorf("image %s: %v, %v; want %v", image, got, err, want)
		}
	}
}

// TestCELListItemsPricedAtTheirLength: the estimate prices a list's items
// at the longest of them (it took them to be as long as the list has
// items), so a loop comparing a process's image, which may be 64 KiB, to
// five items of 1,000 bytes keeps its run-time cost limit, while the same
// loop over short items runs without it.
func TestCELListItemsPricedAtTheirLength(t *testing.T) {
	for _, tc := range []struct {
		item string
		fast bool
	}{{"agent.exe", true}, {strings.Repeat("x", 1000), false}} {
		set := mustLoad(t, src("a.yaml", `lists:
  big: [`+tc.item+"1, "+tc.item+"2, "+tc.item+"3, "+tc.item+"4, "+tc.item+`5]
rules:
  - id: R
    title: t
    when: lists.big.exists(s, process.image.contains(s))
`))
		if fast := set.Rules[0].cond.(*celProgram).fast != nil; fast != tc.fast {
			t.Errorf("items of %d bytes: untracked %v, want %v", len(tc.item), fast, tc.fast)
		}
	}
}
