package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
)

// WinDbg since 2023 (the debugger engine 10.0.25xxx and later, cdb and kd
// too) starts every session by setting up its Debugger Extensions
// Gallery, before its banner, and says so in a preamble of its own:
//
//	************* Preparing the environment for Debugger Extensions Gallery repositories **************
//	   ExtensionRepository : Implicit
//	   UseExperimentalFeatureForNugetShare : true
//	   EnableRedirectToChakraJsProvider : false
//
//	   -- Configuring repositories
//	      ----> Repository : LocalInstalled, Enabled: true
//
//	>>>>>>>>>>>>> Preparing the environment for Debugger Extensions Gallery repositories completed, duration 0.016 seconds
//
//	************* Waiting for Debugger Extensions Gallery to Initialize **************
//
//	>>>>>>>>>>>>> Waiting for Debugger Extensions Gallery to Initialize completed, duration 0.015 seconds
//	   ----> Repository : UserExtensions, Enabled: true, Packages count: 0
//
// Its settings change from one release to the next: they are taken as
// the preamble's by their shape ("Name : value") while it lasts. Its
// headings are the debugger's own words, no other tool's: they are read
// as such (parsed), so a paste that is cut after them is still known for
// the debugger's.

// galleryName is in each heading of the preamble.
const galleryName = "Debugger Extensions Gallery"

// galleryLine reads a line of the Debugger Extensions Gallery's preamble.
func (k *kdReader) galleryLine(line []byte) (scan.LineKind, bool) {
	switch {
	case scan.HasPrefix(line, "*************") && bytes.Contains(line, []byte(galleryName)):
		k.gallery = true
		return scan.Parsed, true
	case isGalleryProgress(line):
		k.gallery = true
		return scan.Ignored, true
	case !k.gallery:
		return 0, false
	case scan.HasPrefix(line, "----> Repository :"), scan.HasPrefix(line, "-- Configuring repositories"), isGallerySetting(line):
		return scan.Ignored, true
	}
	k.gallery = false
	return 0, false
}

// isGallerySetting recognizes a setting the preamble lists, a name of
// letters and a value of one word: "NonInteractiveNuget : true".
func isGallerySetting(line []byte) bool {
	name, value, ok := bytes.Cut(line, []byte(" : "))
	if !ok || len(name) == 0 || len(bytes.Fields(value)) != 1 {
		return false
	}
	for _, c := range name {
		if !scan.IsAlnum(c) {
			return false
		}
	}
	return true
}

// isGalleryProgress recognizes the preamble's lines that say a step is
// done, ">>>>>>>>>>>>> Waiting for Debugger Extensions Gallery to
// Initialize completed, duration 0.015 seconds", its arrows taken for a
// markdown quote's or not (a paste may cut it short of its duration).
func isGalleryProgress(line []byte) bool {
	line = scan.TrimSpace(bytes.TrimLeft(line, ">"))
	return scan.HasPrefix(line, "Preparing the environment for "+galleryName) ||
		scan.HasPrefix(line, "Waiting for "+galleryName)
}
