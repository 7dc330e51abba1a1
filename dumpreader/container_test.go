package dumpreader_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

const containerCapture = "../testdata/kd/process-addr7-deepfreeze-handles-to-exited.txt"

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeZip writes a zip archive of name -> content, in the order given.
func writeZip(t *testing.T, path string, entries ...[2]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// withoutPaths blanks the source names, which differ between a file and
// its compressed forms.
func withoutPaths(s *facts.Snapshot) *facts.Snapshot {
	for i := range s.Sources {
		s.Sources[i].Path = ""
	}
	for i := range s.Diagnostics {
		s.Diagnostics[i].Path = ""
	}
	for _, p := range s.Processes {
		p.Source.Path = ""
		for i := range p.TopNames {
			p.TopNames[i].First.Path = ""
		}
	}
	return s
}

// TestGzipAndZipReadAsPlain: a capture gzip'd, zipped, gzip'd inside a
// zip, or gzip'd on standard input reads to the same facts as the plain
// file, and Quote reads its lines back.
func TestGzipAndZipReadAsPlain(t *testing.T) {
	plain, err := os.ReadFile(containerCapture)
	if err != nil {
		t.Fatal(err)
	}
	want := snapshotJSON(t, withoutPaths(readCapture(t, containerCapture)))
	dir := t.TempDir()
	gz := filepath.Join(dir, "capture.txt.gz")
	if err := os.WriteFile(gz, gzipped(t, plain), 0o644); err != nil {
		t.Fatal(err)
	}
	zp := filepath.Join(dir, "captures.zip")
	writeZip(t, zp, [2]string{"server1/kd.txt", string(plain)}, [2]string{"__MACOSX/server1/._kd.txt", "junk"}, [2]string{".DS_Store", "junk"})
	zgz := filepath.Join(dir, "gz-in-zip.zip")
	writeZip(t, zgz, [2]string{"kd.txt.gz", string(gzipped(t, plain))})
	for _, path := range []string{gz, zp, zgz} {
		snap, err := dumpreader.ReadFile(path, dumpreader.Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(snap.Sources) != 1 {
			t.Fatalf("%s: sources %+v, want one", path, snap.Sources)
		}
		name := snap.Sources[0].Path
		if got := snapshotJSON(t, withoutPaths(snap)); !bytes.Equal(got, want) {
			t.Errorf("%s: facts differ from the plain file's:\n%s", path, cmp.Diff(string(want), string(got)))
		}
		lines, err := dumpreader.Quote(map[string]string{gz: gz, zp: zp + "!/server1/kd.txt", zgz: zgz + "!/kd.txt.gz"}[path], []int64{1, 3})
		if err != nil || lines[1] == "" || !strings.Contains(string(plain), lines[3]) {
			t.Errorf("Quote of %s (source %s): %v, %v", path, name, lines, err)
		}
	}
	snap, err := dumpreader.ReadFiles([]string{"-"}, dumpreader.Options{Stdin: bytes.NewReader(gzipped(t, plain))})
	if err != nil {
		t.Fatal(err)
	}
	if got := snapshotJSON(t, withoutPaths(snap)); !bytes.Equal(got, want) {
		t.Errorf("gzip on standard input: facts differ")
	}
}

// TestZipPiecesMerge: the files of a zip are pieces of one capture, read
// in name order, each named archive!/entry in positions.
func TestZipPiecesMerge(t *testing.T) {
	dir := t.TempDir()
	zp := filepath.Join(dir, "case.zip")
	writeZip(t, zp,
		[2]string{"2-handles.txt", "0: kd> !handle 0 3 ffffe0012a3b4080\nPROCESS ffffe0012a3b4080\n    Image: leaky.exe\n\n0004: Object: ffffe0012c000010  GrantedAccess: 001f0003 Entry: ffffc00001000010\nObject: ffffe0012c000010  Type: (ffffe0012a000f20) Event\n    ObjectHeader: ffffe0012c000000 (new version)\n        HandleCount: 1  PointerCount: 1\n\n"},
		[2]string{"1-processes.txt", "0: kd> !process 0 0\n**** NT ACTIVE PROCESS DUMP ****\nPROCESS ffffe0012a3b4080\n    SessionId: 1  Cid: 0abc    Peb: 7ff6a000  ParentCid: 0450\n    DirBase: 1a2b3000  ObjectTable: ffffc0012a3c5000  HandleCount:   1.\n    Image: leaky.exe\n\n"})
	snap, err := dumpreader.ReadFile(zp, dumpreader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range snap.Sources {
		names = append(names, s.Path)
	}
	if d := cmp.Diff([]string{zp + "!/1-processes.txt", zp + "!/2-handles.txt"}, names); d != "" {
		t.Errorf("sources (-want +got):\n%s", d)
	}
	if len(snap.Processes) != 1 || snap.Processes[0].Image != "leaky.exe" || snap.Processes[0].HandlesParsed != 1 || snap.Processes[0].Source.Path != zp+"!/1-processes.txt" {
		t.Errorf("processes: %+v", snap.Processes)
	}
}

func TestContainerLimits(t *testing.T) {
	dir := t.TempDir()
	plain, err := os.ReadFile(containerCapture)
	if err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "capture.txt.gz")
	if err := os.WriteFile(gz, gzipped(t, plain), 0o644); err != nil {
		t.Fatal(err)
	}
	// A bomb: 80 MiB of one kd line over and over, about 100 KB compressed.
	bomb := filepath.Join(dir, "bomb.txt.gz")
	if err := os.WriteFile(bomb, gzipped(t, bytes.Repeat([]byte("0: kd> !process 0 0\n"), 4<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	many := filepath.Join(dir, "many.zip")
	var entries [][2]string
	for i := range 12 {
		entries = append(entries, [2]string{strings.Repeat("x", i+1) + ".txt", "0: kd> !process 0 0\n"})
	}
	writeZip(t, many, entries...)
	nested := filepath.Join(dir, "nested.zip")
	writeZip(t, nested, [2]string{"inner.zip", "PK\x03\x04"})
	empty := filepath.Join(dir, "empty.zip")
	writeZip(t, empty, [2]string{"dir/", ""})
	for _, c := range []struct {
		path  string
		lim   dumpreader.Limits
		want  string
		limit bool
	}{
		{bomb, dumpreader.Limits{}, "expands over 200 times its compressed size, like a zip bomb", true},
		{gz, dumpreader.Limits{MaxExpanded: 1000}, "decompressed past 1000 bytes", true},
		{many, dumpreader.Limits{MaxEntries: 10}, "12 entries, over the limit of 10", true},
		{many, dumpreader.Limits{MaxExpanded: 100}, "declare over 100 bytes", true},
		{nested, dumpreader.Limits{}, "is an archive itself", false},
		{empty, dumpreader.Limits{}, "a zip archive with no capture in it", false},
	} {
		_, err := dumpreader.ReadFile(c.path, dumpreader.Options{Limits: c.lim})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) || errors.Is(err, dumpreader.ErrExpandLimit) != c.limit {
			t.Errorf("%s with %+v: error %v, want one naming the file and saying %q (limit error: %v)", filepath.Base(c.path), c.lim, err, c.want, c.limit)
		}
	}
	zp := filepath.Join(dir, "z.zip")
	writeZip(t, zp, [2]string{"a.txt", string(plain)})
	data, _ := os.ReadFile(zp)
	if _, err := dumpreader.ReadFiles([]string{"-"}, dumpreader.Options{Stdin: bytes.NewReader(data)}); err == nil || !strings.Contains(err.Error(), "give it as a file") {
		t.Errorf("zip on standard input: %v", err)
	}
}
