// Package engine turns facts into findings. Run evaluates every enabled
// rule over a snapshot (snapshot-scope rules once, process-scope rules
// once per process), attributes each process finding to a component,
// scores it, and ranks all findings in a total, stable order, so the same
// inputs always give the same report.
//
// The pipeline is a chain of small stages:
//
//	evaluate   rules.Rule.Match over a facts.ViewSet, 256 processes at a time
//	attribute  owners map, then vendor paths in object names, then a
//	           vendor-like prefix of a named object, then the image
//	evidence   the numbers and capture positions a vendor needs
//	rank       severity, score, rule id, pid, image
//	limit      the top N, after ranking
//
// Attribution says how it reached its answer, from the strongest evidence
// available: an owner entry that matches an object name the process holds
// many handles to, an owner entry for the image, a vendor named in the path
// of such an object (a registry key under SOFTWARE\Vendor, a file under
// Program Files\Vendor), a vendor-like prefix of its name (a guess, and
// labelled so), and, failing all of those, the image itself.
package engine
