package engine

import (
	"fmt"
	"strings"

	"github.com/leakdiag/leakdiag/facts"
)

// evidence gathers a process finding's key numbers and the places in the
// capture they come from.
func evidence(pf *facts.ProcessFacts, p *facts.Process) ([]Evidence, []Location) {
	ev := []Evidence{}
	add := func(name, value string) { ev = append(ev, Evidence{Name: name, Value: value}) }
	// Linux captures count file descriptors.
	count, shown := "handle count", "handles shown"
	if pf.Linux {
		count, shown = "file descriptors", "file descriptors shown"
	}
	switch {
	case pf.HandleCountKnown:
		add(count, facts.FormatCount(pf.HandleCount))
	case pf.ZombiesHeld > 0 && pf.HandlesParsed == 0:
		add(count, "not given: FindZombieHandles counts only the handles to zombies")
	case p.TypeCountsFrom == facts.CountsFromSummary && pf.Handles > 0:
		// A type summary without its total row (or with its total cut off).
		add(count, "not given; the debugger's type summary adds up to "+facts.FormatCount(pf.Handles))
	default:
		add(count, "not given in the capture")
	}
	if pf.TableEntries >= 0 {
		add("handle table entries", facts.FormatCount(pf.TableEntries))
	}
	// A count with no handle listed is a capture of the count alone
	// (!process 0 0 without !handle): said so, not left as a bare 0.
	switch {
	case pf.HandlesParsed == 0 && pf.Handles > 0 && p.TypeCountsFrom == facts.CountsFromSummary:
		add(shown, "0: the capture lists none of them, only their counts by type")
	case pf.HandlesParsed == 0 && pf.HandleCountKnown && pf.HandleCount > 0:
		add(shown, "0: the capture lists none of them, only their count")
	default:
		add(shown, facts.FormatCount(pf.HandlesParsed))
	}
	if pf.DominantType != "" {
		add("dominant type", fmt.Sprintf("%s, %s (%s)", pf.DominantType, facts.FormatCount(pf.DominantCount), facts.FormatShare(pf.DominantShare)))
	}
	if pf.TopUnnamedCount > 0 {
		add("unnamed handles", fmt.Sprintf("%s of type %s", facts.FormatCount(pf.TopUnnamedCount), pf.TopUnnamedType))
	}
	for i, n := range p.TopNames {
		if i == 3 {
			break
		}
		count := "x" + facts.FormatCount(n.Count)
		if n.Error > 0 {
			count = facts.CountAtLeast(n.Count, n.Error)
		}
		add(fmt.Sprintf("top name %d", i+1), fmt.Sprintf("%s %s: %s", n.Type, count, n.Name))
	}
	if f := p.TopFolder; f != nil {
		add("top folder", folderText(f, p.DistinctNamesEstimated))
	}
	if p.DistinctNamesEstimated {
		add("distinct names", facts.CountAbout(p.DistinctNames, true))
	}
	if pf.GrowthPoints > 1 {
		// Rates in the span's unit: captures seconds apart make a rate
		// per hour absurd (+612,528/h from 170 handles).
		span := facts.SpanText(pf.GrowthHours)
		unit, per := facts.RateUnit(pf.GrowthHours, int(pf.GrowthPoints))
		if !pf.GrowthTimed {
			span, unit, per = fmt.Sprintf("%d captures (their times unknown)", pf.GrowthPoints), "capture", 1
		}
		how := ""
		if pf.GrowthMonotonic {
			how = ", rising at every capture"
		}
		add("growth", fmt.Sprintf("%s handles over %s (%s/%s%s)", signedCount(pf.HandleGrowth), span, signedCount(int64(pf.GrowthPerHour*per)), unit, how))
		if pf.TopGrowingType != "" {
			add("grew most", fmt.Sprintf("%s %s (%s/%s); other types together %s", pf.TopGrowingType, signedCount(pf.TopGrowingTypeGrowth), signedCount(int64(pf.TopGrowingTypePerHour*per)), unit, signedCount(pf.OtherTypesGrowth)))
		}
		if pf.TopGrowingName != "" {
			add("name grew most", fmt.Sprintf("%s (%s)", pf.TopGrowingName, signedCount(pf.TopGrowingNameGrowth)))
		}
	}
	if pf.NonPagedGrowthPoints > 1 && pf.NonPagedGrowthBytes != 0 {
		how := ""
		if pf.NonPagedGrowthMonotonic {
			how = ", rising at every one"
		}
		add("nonpaged pool", fmt.Sprintf("%s to %s bytes (%s) over %d captures%s", facts.FormatCount(pf.NonPagedGrowthFromBytes),
			facts.FormatCount(pf.NonPagedGrowthToBytes), signedCount(pf.NonPagedGrowthBytes), pf.NonPagedGrowthPoints, how))
	}
	if pf.FDLimit > 0 {
		add("fd limit", fmt.Sprintf("%s open of %s (%s)", facts.FormatCount(pf.Handles), facts.FormatCount(pf.FDLimit), facts.FormatShare(pf.FDLimitShare)))
	}
	switch {
	case pf.Peers > 0 && pf.Exited:
		// An exited process's peers are the live ones of its image.
		add("same image", fmt.Sprintf("%d other %s running, median %s handles", pf.Peers, p.Image, facts.FormatCount(pf.PeerMedianHandles)))
	case pf.Peers > 0:
		add("same image", fmt.Sprintf("%d other %s, median %s handles (this one %.1fx)", pf.Peers, p.Image, facts.FormatCount(pf.PeerMedianHandles), pf.PeerRatio))
	}
	for i, st := range p.OpenStacks {
		if i == 2 {
			break
		}
		frames := st.Frames[:min(len(st.Frames), 4)]
		what := "open handle"
		if st.Type != "" {
			what = "open " + st.Type + " handle"
		}
		what = facts.PluralCount(st.Count, what)
		if st.SinceSnapshot {
			what += " since the -diff snapshot"
		}
		add(fmt.Sprintf("open stack %d", i+1), fmt.Sprintf("%s: %s", what, strings.Join(frames, " <- ")))
	}
	if pf.OpenSinceSnapshot > 0 {
		add("open since snapshot", facts.PluralCount(pf.OpenSinceSnapshot, "handle")+" !htrace -diff lists as opened since its snapshot and still open")
	}
	if pf.ReportedLeaks > 0 {
		add("reported leaks", facts.PluralCount(pf.ReportedLeaks, "handle")+" the leak checker reports opened and never closed")
	}
	for i, v := range p.VerifierStops {
		if i == 3 {
			break
		}
		what := fmt.Sprintf("%s: %s handle 0x%x", v.Code, v.Message, v.Handle)
		if v.TooMany() {
			what = fmt.Sprintf("%s: %s (%s open)", v.Code, v.Message, facts.FormatCount(int64(v.Open)))
		}
		add(fmt.Sprintf("verifier stop %d", i+1), what)
	}
	if pf.Exited {
		held := "no process in the capture holds a handle to it"
		if pf.HeldBy > 0 {
			held = fmt.Sprintf("the capture shows %s handles to it", facts.FormatCount(pf.HeldBy))
		}
		add("exited", fmt.Sprintf("yes, %d of its threads shown terminated; %s", pf.TerminatedThreads, held))
	}
	if pf.CloseWait > 0 {
		add("CLOSE_WAIT", fmt.Sprintf("%s of %s TCP sockets", facts.FormatCount(pf.CloseWait), facts.FormatCount(pf.TCPSockets)))
	}
	if pf.UnidentifiedSockets > 0 {
		add("unidentified sockets", facts.FormatCount(pf.UnidentifiedSockets))
	}
	if pf.DeletedFDs > 0 {
		size := facts.FormatCount(pf.DeletedBytes) + " bytes"
		if pf.DeletedBytes == 0 {
			size = "no size given, or empty"
		}
		add("deleted files", fmt.Sprintf("%s fds, %s", facts.FormatCount(pf.DeletedFDs), size))
	}
	if pf.HandlesToExitedProcesses+pf.HandlesToExitedThreads > 0 {
		add("handles to exited", fmt.Sprintf("%d processes, %d threads", pf.HandlesToExitedProcesses, pf.HandlesToExitedThreads))
	}
	if pf.ZombiesHeld > 0 {
		add("zombies held", fmt.Sprintf("%s exited processes (FindZombieHandles)", facts.FormatCount(pf.ZombiesHeld)))
	}
	block := "PROCESS block of "
	switch {
	case p.Source.Line == 0 && p.Source.Offset > 0:
		block = "process record of "
	case p.Instance != "":
		block = "sample of " // a counter log's row
	case p.Address == "" && p.HandlesParsed == 0 && p.TracedOpens == 0 && len(p.OpenStacks) == 0 && len(p.VerifierStops) == 0:
		// A row of a process list (Get-Process, wmic, a counter log's
		// column): no debugger block, no handles, no traces.
		block = "the line of "
	case p.Address == "":
		// No kd PROCESS block names it: an lsof row, a listing of
		// /proc/PID/fd, Handle's "pid:" line, a user-mode !handle or
		// !htrace -diff, whose first line names it.
		block = "first line of "
	}
	locs := []Location{at(p.Source, block+facts.ImageName(p.Image))}
	for i, n := range p.TopNames {
		if i == 3 {
			break
		}
		locs = append(locs, at(n.First, fmt.Sprintf("first handle to %s %s", n.Type, n.Name)))
	}
	for i, n := range p.ZombieImages {
		if i == 3 {
			break
		}
		locs = append(locs, at(n.First, fmt.Sprintf("zombies of %s (%s)", n.Name, facts.FormatCount(n.Count))))
	}
	for i, v := range p.VerifierStops {
		if i == 3 {
			break
		}
		locs = append(locs, at(v.Pos, "Application Verifier stop "+v.Code))
	}
	if len(p.OpenStacks) > 0 {
		st := p.OpenStacks[0]
		locs = append(locs, at(st.First, "first trace of the stack that opened most handles"))
	}
	return ev, locs
}

func at(p facts.Position, what string) Location {
	return Location{Path: p.Path, Line: p.Line, Offset: p.Offset, What: what}
}

func signedCount(n int64) string {
	if n > 0 {
		return "+" + facts.FormatCount(n)
	}
	return facts.FormatCount(n)
}

// folderText says how many handles a process's top folder holds: exact,
// or, where the process had more names than its table counts one by one
// (estimated), among the handles counted by name.
func folderText(f *facts.Folder, estimated bool) string {
	if estimated {
		return fmt.Sprintf("%s at least %s under %s (%s names; counted among the %s handles whose names were kept)",
			f.Type, facts.FormatCount(f.Handles), f.Path, facts.FormatCount(f.Names), facts.FormatCount(f.Of))
	}
	return fmt.Sprintf("%s x%s under %s (%s names)", f.Type, facts.FormatCount(f.Handles), f.Path, facts.FormatCount(f.Names))
}
