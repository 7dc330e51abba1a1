// Package engine turns facts into findings. Run evaluates every enabled
// rule over a snapshot (snapshot-scope rules once, process-scope rules
// once per process), attributes each process finding to a component,
// scores it, and ranks all findings in a total, stable order, so the same
// inputs always give the same report.
//
// The pipeline is a chain of small stages, each a function named for what
// it does, in the order run (run.go) calls them:
//
//	newReport      the summary of the capture and of the rules to run
//	evaluate       rules.Rule.Match over a facts.ViewSet, 256 processes at
//	               a time; for each match the rule's score and message,
//	               the component (attribute: a stack frame (!htrace) and
//	               its module owner, then owners by object name and image,
//	               vendor paths in object names, a vendor-like prefix, the
//	               image; attribute.go, stacks.go), the evidence and
//	               capture positions a vendor needs, and the fingerprint
//	               that follows a finding across captures (run.go,
//	               evidence.go, fingerprint.go)
//	filter         dropBaselined: the findings an earlier report holds;
//	               suppress: those a site accepts, saying what each
//	               suppression did (suppress.go)
//	rank           severity, score, rule id, pid, image (rank.go)
//	top            keep the N best-ranked, counting them all first
//	quote          the text of the capture lines the findings point at
//
// Attribution says how it reached its answer, from the strongest evidence
// available: a stack frame outside the known-good modules that opened most
// of the handles (with the owner entry of its module, if any), for
// Application Verifier's stops the DLL a stop names as the handle's owner
// and then the stack the stop broke in on, an owner
// entry that matches an object name the process holds many handles to, an
// owner entry for the image, a vendor named in the path of such an object
// (a registry key under SOFTWARE\Vendor, a file under Program
// Files\Vendor), a vendor-like prefix of its name (a guess, and labelled
// so), and, failing all of those, the image itself.
//
// Past one report: NewBatch adds up the reports of captures analysed one
// by one (batch.go), and a FleetBuilder groups the findings of many
// captures, one capture at a time and holding no finding, by component,
// vendor, rule and image across hosts, for leakdiag merge (fleet.go).
package engine
