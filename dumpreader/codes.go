package dumpreader

import "github.com/leakdiag/leakdiag/dumpreader/internal/scan"

// Diagnostic codes more than one text reader gives, besides the
// facts.Code* ones. The codes of one format are its package's
// (handleexe.CodeToolError, lsof.CodeThreadRows...).
const (
	// CodePartial: the capture shows only some of the handles (a listing
	// without -a shows File and Section handles, a search only matches).
	CodePartial = scan.CodePartial
	// CodePIDImage: one pid shown with two different image names.
	CodePIDImage = scan.CodePIDImage
)
