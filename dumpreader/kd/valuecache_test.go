package kd

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// cacheValues are values entry lines print: clean, damaged by pastes,
// with a device glued on or a stray bracket, a GUID in braces, not ASCII.
var cacheValues = []string{
	"", "File", "ALPC Port", "Key",
	`\Device\HarddiskVolume2\Windows\System32\en-US\KernelBase.dll.mui`,
	`\Windows\System32 {HarddiskVolume1}`,
	`\Windows\System32{HarddiskVolume1}`,
	`\Reference{ConDrv}]`,
	`\Device\NamedPipe\{8f3a6b2e-1c4d-4e5f-9a0b-1c2d3e4f5a6b}`,
	`\REGISTRY\MACHINE\SOFTWARE\Contoso&amp;Co`,
	`<font color="#ff0000">\BaseNamedObjects\evt</font>`,
	`**\Sessions\1\BaseNamedObjects\bold**`,
	"\\Users\\Jos\u00e9\\AppData",
	"\\Users\\bad\xff\\AppData",
	"\\Sessions\\1\u00a0nbsp",
	`\Device\Afd\Endpoint\_escaped\*star`,
	`name [bracketed]`,
}

// TestValueCacheAsInterner: what the cache makes of a value is what the
// reader's interner makes of it, and it leaves to the interner exactly
// the values whose making the interner reports (a repair noted, a stray
// bracket dropped with a diagnostic); asked again, from its entry, it
// answers the same.
func TestValueCacheAsInterner(t *testing.T) {
	for _, names := range []bool{false, true} {
		c := newValueCache(4, names) // few entries: values take each other's
		for round := range 3 {
			for _, v := range cacheValues {
				k := newKDReader(facts.NewBuilder(), facts.NewSourceLog("c.txt", "kd"))
				in := k.types
				if names {
					in = k.names
				}
				want := in.Get([]byte(v))
				reported := k.damage != 0 || len(k.log.Diagnostics()) > 0
				got, ok := c.get([]byte(v))
				if ok == reported || (ok && got != want) {
					t.Errorf("names %v, round %d: get(%q) = %q, %v; the interner makes %q, reporting %v", names, round, v, got, ok, want, reported)
				}
			}
		}
	}
}

// TestPreparedAsRead: a worker's parse of an entry's type and name lines
// gives the strings the reader's own reading gives, and is left to the
// reader where that reading reports something.
func TestPreparedAsRead(t *testing.T) {
	prep := newPrepper()
	for _, v := range cacheValues {
		for _, line := range []string{"Object: ffffd7c23cf2e610  Type: (ffffd7be2c9f0760) " + v, "Directory Object: 00000000  Name: " + v} {
			var pre preLine
			prep([]byte(line), &pre)
			k := newKDReader(facts.NewBuilder(), facts.NewSourceLog("c.txt", "kd"))
			k.entry.active = true
			k.lineNo = 1
			if kind := k.readLine([]byte(line)); kind != scan.Parsed {
				t.Fatalf("%q read as %v", line, kind)
			}
			want := k.entry.h.Type
			if pre.field == fieldName {
				want = k.entry.h.Name
			}
			reported := k.damage != 0 || len(k.log.Diagnostics()) > 0
			if (pre.kind == preField) == reported || (pre.kind == preField && pre.str != want) {
				t.Errorf("%q prepared as %v %q; read as %q, reporting %v", line, pre.kind, pre.str, want, reported)
			}
		}
	}
}
