package lsof

import (
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// A row may come without its COMMAND: toybox's lsof (Android's) leaves
// the column blank where it cannot read the process's name, and authors
// cut it from rows whose long name ran over (an app's package name):
//
//	12391    u0_a120  282w      REG              253,0     28716      33632 /data/data/com.contoso.app/cache/log-7 (deleted)
//
// Such a line is read as the row it is after a COMMAND, the pid first, the
// process's image left unknown. Only rows of the shape only lsof prints
// (a descriptor, a TYPE of lsof's, DEVICE, SIZE/OFF or NODE, a NAME) are
// read so; a busybox row (a pid, a path, a link) is not one.

// CodeNoCommand marks rows read without a COMMAND column.
const CodeNoCommand = "no-command"

// blankCmdRowLine reads line as a row of lsof's without its COMMAND.
func (r *lsofReader) blankCmdRowLine(line []byte) (scan.LineKind, bool) {
	i := 0
	for i < len(line) && i < 11 && scan.IsDigit(line[i]) {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != ' ' {
		return 0, false
	}
	r.blankBuf = append(append(r.blankBuf[:0], "? "...), line...)
	sp := lsofSpans(r.blankBuf, r.spans)
	r.spans = sp
	var row lsofRow
	if !(&lsofHeader{}).parseRow(r.blankBuf, sp, &row) || row.tid || !row.typical() {
		return 0, false
	}
	row.cmd = nil
	if r.blankRows == 0 {
		r.blankLine = r.lineNo
	}
	r.blankRows++
	return r.takeRow(&row, nil), true
}

// blankCmdFinish says rows were read without their COMMAND.
func (r *lsofReader) blankCmdFinish() {
	if r.blankRows == 0 {
		return
	}
	r.log.Diag(r.blankLine, facts.SevInfo, CodeNoCommand,
		"%d rows have no COMMAND (blank, as toybox's lsof leaves it, or cut): they are read from the PID on, their processes' images unknown",
		r.blankRows)
}
