package scan

// Diagnostic codes the text readers share, besides the facts.Code* ones.
const (
	// CodePartial: the capture shows only some of the handles (a listing
	// of Handle without -a shows File and Section handles, a search only
	// matches; an lsof listing filtered by a grep).
	CodePartial = "partial-listing"
	// CodePIDImage: one pid shown with two different image names.
	CodePIDImage = "pid-image-conflict"
)
