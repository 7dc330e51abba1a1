package dumpreader

import (
	"io"

	"github.com/leakdiag/leakdiag/dumpreader/handleexe"
	"github.com/leakdiag/leakdiag/dumpreader/kd"
	"github.com/leakdiag/leakdiag/dumpreader/lsof"
	"github.com/leakdiag/leakdiag/facts"
)

// Format names a kind of capture.
type Format string

// Formats besides those of the format packages.
const (
	// FormatKD is kd/WinDbg/cdb text (package kd).
	FormatKD Format = kd.Name
	// FormatHandle is Sysinternals Handle's output (package handleexe).
	FormatHandle Format = handleexe.Name
	// FormatLsof is lsof output (package lsof).
	FormatLsof Format = lsof.Name
	// FormatSnapshot is leakdiag's own snapshot JSON (facts.WriteJSON).
	FormatSnapshot Format = "snapshot"
)

// format is a row of the table of formats: what detection, reading, the
// list of formats and the CLI's help know of one format.
type format struct {
	name Format
	// magic, for a binary format, is how its files begin.
	magic string
	// sniff, for a text format, tells it from the head of a capture
	// decoded to UTF-8; cut says the head is the start of something
	// longer, whose last line may be incomplete.
	sniff func(text []byte, cut bool) bool
	// nul says the format's text may hold NULs (lsof -F0): it is sniffed
	// before text with NULs is taken for binary.
	nul bool
	// loose says the sniff accepts much (any line the reader parses): it
	// is tried after the stricter ones.
	loose bool
	// read reads a text capture into b, accounting for every line in
	// log. The binary formats and snapshot JSON are read by readInto.
	read func(b *facts.Builder, log *facts.SourceLog, r io.Reader) error
	// readWith, where set, is read with workers parsing beside it (see
	// Options.Workers), chunk the size of their pieces.
	readWith func(b *facts.Builder, log *facts.SourceLog, r io.Reader, workers, chunk int) error
	// utf16 names what writes captures of the format in UTF-16, for the
	// diagnostic that says the text was decoded.
	utf16 string
}

// formats is the one list of the formats leakdiag reads, in the order
// Formats gives them. Detection takes binary magics first, then
// snapshot JSON, then the text formats from the strictest sniff to the
// loosest (see Detect).
var formats = []format{
	{
		name: FormatKD, sniff: kd.Sniff, loose: true, read: kd.Read,
		readWith: func(b *facts.Builder, log *facts.SourceLog, r io.Reader, workers, chunk int) error {
			return kd.ReadWith(b, log, r, kd.Options{Workers: workers, ChunkSize: chunk})
		},
		utf16: "WinDbg's .logopen /u",
	},
	{
		name: FormatHandle, sniff: func(text []byte, _ bool) bool { return handleexe.Sniff(text) },
		read: handleexe.Read, utf16: "PowerShell's >",
	},
	{
		name: FormatLsof, sniff: func(text []byte, _ bool) bool { return lsof.Sniff(text) }, nul: true,
		read: lsof.Read, utf16: "PowerShell's >",
	},
	{name: FormatMinidump, magic: "MDMP"},
	{name: FormatSnapshot},
}

// Formats lists the formats leakdiag reads, for --input-format.
func Formats() []Format {
	out := make([]Format, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

// lookup returns the row of the format named name, nil if there is none.
func lookup(name Format) *format {
	for i := range formats {
		if formats[i].name == name {
			return &formats[i]
		}
	}
	return nil
}
