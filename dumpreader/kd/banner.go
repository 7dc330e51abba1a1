package kd

import (
	"bytes"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A paste may leave out the command that printed a process list and keep
// its banner, the list following the output of a command leakdiag does
// not read:
//
//	1: kd> !pte fffff80412345678
//	...
//	[Contoso] driver log lines
//
//	 **** NT ACTIVE PROCESS DUMP ****
//	PROCESS ffffc98f12345080
//	...
//
// Read as the first command's output, the whole list was ignored, and
// the capture showed no process at all. Only `!process 0` prints that
// banner: it ends the ignored output, and what follows is read as the
// output of `!process 0 0`, with a diagnostic.

// processDumpBanner is the banner of `!process 0`.
const processDumpBanner = "**** NT ACTIVE PROCESS DUMP ****"

// bannerAfterIgnored reads line, met in the output of a command leakdiag
// does not read, when it is the banner of `!process 0` (see the file
// comment): it begins the output of that command, left out of the paste.
func (k *kdReader) bannerAfterIgnored(line []byte) bool {
	if !bytes.Equal(scan.TrimSpace(line), []byte(processDumpBanner)) {
		return false
	}
	k.log.Diag(k.lineNo, facts.SevInfo, facts.CodeRepaired,
		"the banner of !process 0 in the output of %q (the paste left out the command that printed it): what follows is read as the output of !process 0 0", k.cmd.name)
	k.command([]byte("!process 0 0"), k.cmdKind)
	k.cmdSeen = 1 // the banner is the output's first line
	return true
}
