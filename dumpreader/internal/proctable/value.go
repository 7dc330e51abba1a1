package proctable

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxCount bounds the counts read: no process holds 10^15 handles, and
// a larger number is damage, not a count.
const maxCount = 1e15 - 1

// ParseCount reads a whole count as the tools print it for the locale
// they run in: digits, grouped in threes by ',', '.', an apostrophe, a blank, a
// no-break space or a narrow no-break space where the locale groups
// them ("12,345", "12.345", "12 345", "1'234'567"), blanks around it
// aside. "", "-", cut values ("...79"), a decimal part ("1,5",
// "8 786,38"), a unit ("535,27 MB"), a sign and a hexadecimal number
// are no counts. It takes a cell as a string or as bytes.
func ParseCount[S ~string | ~[]byte](cell S) (int64, bool) {
	s := strings.TrimSpace(string(cell))
	var v int64
	digits, group := 0, -1 // group: digits since the latest separator, -1 before any
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r >= '0' && r <= '9':
			digits++
			v = v*10 + int64(r-'0')
			if v > maxCount {
				return 0, false
			}
			if group >= 0 {
				group++
			}
		case r == ',' || r == '.' || r == '\'' || r == ' ' || r == '\u00a0' || r == '\u202f':
			// A separator follows one to three digits, then every three.
			if digits == 0 || (group >= 0 && group != 3) || (group < 0 && digits > 3) || i >= len(s) {
				return 0, false
			}
			group = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || (group >= 0 && group != 3) {
		return 0, false
	}
	return v, true
}

// ParseDMTF reads a time in the DMTF form WMI gives (CreationDate,
// "20261206233512.123456+060", the offset from UTC in minutes) and
// returns it in RFC 3339, UTC; false for anything else (PowerShell shows
// StartTime in the local time of the machine and culture of the user,
// with no zone: such a time cannot be placed).
func ParseDMTF(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 25 || s[14] != '.' || (s[21] != '+' && s[21] != '-') {
		return "", false
	}
	t, err := time.Parse("20060102150405", s[:14])
	if err != nil {
		return "", false
	}
	off, err := strconv.Atoi(s[22:])
	if err != nil || off > 14*60 {
		return "", false
	}
	if s[21] == '+' {
		off = -off
	}
	return t.Add(time.Duration(off) * time.Minute).UTC().Format(time.RFC3339), true
}

// pseudoProcesses are the names Windows shows for processes that run no
// image file: their names get no ".exe" (ImageName).
var pseudoProcesses = map[string]bool{
	"idle": true, "system": true, "system idle process": true, "registry": true,
	"secure system": true, "memory compression": true, "memcompression": true,
	"vmmem": true, "vmmemwsl": true, "interrupts": true, "_total": true,
}

// ImageName returns the image of a process as facts hold it: the file
// name with its extension, as kd, Handle and wmic give it. Get-Process's
// ProcessName (role ImageNoExt) is the name without ".exe", which gets it
// back (rules and their lists, heavy_thresholds among them, name images
// so), except for the kernel's pseudo-processes (System, Registry,
// Memory Compression), which have no image file, and for a name the
// table cut ("ApplicationFrameHo..."), whose end is unknown.
func ImageName(name string, role Role) string {
	name = strings.TrimSpace(name)
	if role != ImageNoExt || name == "" || pseudoProcesses[strings.ToLower(name)] ||
		strings.HasSuffix(name, "...") || strings.HasSuffix(name, "…") ||
		strings.HasSuffix(strings.ToLower(name), ".exe") {
		return name
	}
	return name + ".exe"
}
