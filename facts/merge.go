package facts

import (
	"fmt"
	"strings"
)

// CodeMergedProcess is the diagnostic of two blocks of a capture that name
// one process object (one EPROCESS address) with different images: the
// builder merges by address, so their handles are counted as one
// process's. Two live processes never share an address; captures of
// different times read as one capture can.
const CodeMergedProcess = "merged-process"

// mergeLimit is how many conflicting images one process reports; the rest
// are counted.
const mergeLimit = 10

// SetImage gives the process its image, as a block of the capture at pos
// names it. The first image named stays: a later block naming another
// image (case aside, as Windows compares names) is a conflict, reported
// as a CodeMergedProcess diagnostic at pos when the snapshot is built.
// SetImage reports whether there was one.
func (pb *ProcessBuilder) SetImage(image string, pos Position) bool {
	switch {
	case pb.P.Image == "":
		pb.P.Image = image
		pb.imagePos = pos
		return false
	case image == "" || strings.EqualFold(image, pb.P.Image):
		return false
	}
	r := pb.more()
	if len(r.imageConflicts) >= mergeLimit {
		r.imageOmitted++
		return true
	}
	what := "process"
	if pb.P.Address != "" {
		what = "process object " + pb.P.Address
	}
	first := "the first block"
	if pb.imagePos.Path != "" {
		first = pb.imagePos.String()
	}
	r.imageConflicts = append(r.imageConflicts, Diagnostic{
		Path: pos.Path, Line: pos.Line, Offset: pos.Offset, Severity: SevWarning, Code: CodeMergedProcess,
		Message: fmt.Sprintf("%s is %s here but %s at %s: two processes merged as one (their handles are counted together); the image stays %s",
			what, image, pb.P.Image, first, pb.P.Image),
	})
	return true
}

// mergeDiagnostics returns the conflicts SetImage found.
func (pb *ProcessBuilder) mergeDiagnostics() []Diagnostic {
	r := pb.moreRead()
	if r.imageOmitted == 0 {
		return r.imageConflicts
	}
	last := r.imageConflicts[len(r.imageConflicts)-1]
	return append(r.imageConflicts, Diagnostic{
		Path: last.Path, Line: last.Line, Offset: last.Offset, Severity: SevInfo, Code: CodeMoreOmitted,
		Message: fmt.Sprintf("%d more blocks give process %s other images", r.imageOmitted, pb.P.Address),
	})
}
