package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// FingerprintVersion names the recipe behind Finding.Fingerprint; a change
// to the recipe gets a new version so old baselines are not misread.
const FingerprintVersion = "v1"

// fingerprint identifies a finding by what it is about, not where the
// capture happens to show it: the rule, the image (case folded, as Windows
// folds it), the component blamed (case folded too: it is often the image)
// and the dominant handle type. Line
// numbers, pids and counts are left out, so the same leak in tomorrow's
// capture of the same machine has the same fingerprint.
func fingerprint(f *Finding) string {
	image := ""
	if f.Process != nil {
		image = strings.ToLower(f.Process.Image)
	}
	dominant := ""
	if len(f.Types) > 0 {
		dominant = f.Types[0].Type
	}
	h := sha256.New()
	for _, part := range []string{FingerprintVersion, f.RuleID, image, strings.ToLower(f.Component.Name), dominant} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return FingerprintVersion + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}
