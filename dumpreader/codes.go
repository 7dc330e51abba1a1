package dumpreader

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/dumpreader/lsof"
)

// Diagnostic codes of the text readers, besides the facts.Code* ones,
// named here too for the callers of dumpreader.
const (
	// CodePartial: the capture shows only some of the handles (a listing
	// without -a shows File and Section handles, a search only matches).
	CodePartial = scan.CodePartial
	// CodePIDImage: one pid shown with two different image names.
	CodePIDImage = scan.CodePIDImage
	// CodeThreadRows: see lsof.CodeThreadRows.
	CodeThreadRows = lsof.CodeThreadRows
	// CodeToolWarning: see lsof.CodeToolWarning.
	CodeToolWarning = lsof.CodeToolWarning
)
