package dumpreader_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/rand"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/facts"
)

// tracedCapture has `!htrace` stacks and the handle table that types them,
// of tracedSize bytes.
const (
	tracedCapture = "../testdata/kd/htrace-kd-after-handle-table-types-from-table.txt"
	tracedSize    = 1149
)

// processes is a kd capture of n processes, 0x10 apart.
func processes(n int) []byte {
	var b bytes.Buffer
	b.WriteString("0: kd> !process 0 0\n**** NT ACTIVE PROCESS DUMP ****\n")
	for i := range n {
		fmt.Fprintf(&b, "PROCESS ffffe0012a%06x\n    SessionId: 1  Cid: %04x    Peb: 7ff6a000  ParentCid: 0450\n"+
			"    DirBase: 1a2b3000  ObjectTable: ffffc0012a3c5000  HandleCount: %4d.\n    Image: app%d.exe\n\n", 16*i, 4*i+8, i%977, i)
	}
	return b.Bytes()
}

// rawEntry is a zip entry written as given: data is its stored bytes
// (deflate or not, per method), the sizes and checksum those of hdr.
type rawEntry struct {
	hdr  zip.FileHeader
	data []byte
}

func writeRawZip(t *testing.T, path string, entries ...rawEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		hdr := e.hdr
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
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

// deflated is data compressed as a zip entry's deflate data.
func deflated(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	fw.Close()
	return buf.Bytes()
}

// bomb returns a kd capture of head and then mib MiB of blank lines, and
// its deflate data, made without compressing it all: a MiB of blanks is
// compressed once, and its blocks (none final, as Flush leaves them)
// repeated.
func bomb(t *testing.T, head []byte, mib int) (content, compressed []byte) {
	t.Helper()
	blanks := bytes.Repeat(append(bytes.Repeat([]byte(" "), 4095), '\n'), 256)
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(head)
	fw.Flush()
	first := append([]byte(nil), buf.Bytes()...)
	buf.Reset()
	fw.Write(blanks)
	fw.Flush()
	unit := append([]byte(nil), buf.Bytes()...)
	buf.Reset()
	fw.Close()
	last := buf.Bytes()
	compressed = append(compressed, first...)
	content = append(content, head...)
	for range mib {
		compressed = append(compressed, unit...)
		content = append(content, blanks...)
	}
	return content, append(compressed, last...)
}

// honest is the header of a deflated entry that says its true sizes.
func honest(name string, content, compressed []byte) zip.FileHeader {
	return zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
		CompressedSize64: uint64(len(compressed)), UncompressedSize64: uint64(len(content))}
}

// TestHostileContainers: compressed captures that are damaged, padded or
// built to harm. What can be read is read, with a diagnostic saying where
// it broke; what would exhaust the disk or memory is stopped at the
// limit; nothing read is dropped silently.
func TestHostileContainers(t *testing.T) {
	capture := processes(2000)
	gz := gzipped(t, capture)
	half := gz[:len(gz)/2]
	snapshotJSON := `{"schema_version": 1, "sources": [], "processes": [{"pid": 1, "ppid": 0, "session": null, "image": "a", "handle_count": 99999999999999999}], "diagnostics": []}`
	tests := []struct {
		name string
		// file writes the capture into dir and returns its path.
		file func(t *testing.T, dir string) string
		// wantErr is part of the error, "" when the capture reads.
		wantErr string
		// wantDiag is "code: part of the message", of the one container
		// diagnostic; "" for none.
		wantDiag string
		// wantOffset is the diagnostic's offset, when not 0.
		wantOffset int64
		// wantProcs checks the processes read, when not nil.
		wantProcs func(n int) bool
		// opts are the options of the read, the defaults when zero.
		opts dumpreader.Options
	}{{
		name:      "gzip cut in half",
		file:      writeFile("cut.txt.gz", half),
		wantDiag:  "truncated-stream: the gzip stream is cut short at byte",
		wantProcs: func(n int) bool { return n > 100 && n < 2000 },
		// Every byte of the cut file was consumed before the break.
		wantOffset: int64(len(half)),
	}, {
		name:       "gzip with trailing garbage",
		file:       writeFile("padded.txt.gz", append(append([]byte(nil), gz...), "this is not gzip\x00\x00"...)),
		wantDiag:   "trailing-data: data after the end of the gzip stream at byte",
		wantOffset: int64(len(gz)),
		wantProcs:  func(n int) bool { return n == 2000 },
	}, {
		name:      "gzip of two members",
		file:      writeFile("two.txt.gz", append(gzipped(t, capture[:len(capture)/2]), gzipped(t, capture[len(capture)/2:])...)),
		wantProcs: func(n int) bool { return n == 2000 },
	}, {
		name:       "gzip whose second member is damaged",
		file:       writeFile("damaged.txt.gz", append(append([]byte(nil), gz...), 0x1f, 0x8b, 0xff, 0xff, 0xff)),
		wantDiag:   "truncated-stream: the gzip member at byte",
		wantOffset: int64(len(gz)),
		wantProcs:  func(n int) bool { return n == 2000 },
	}, {
		name:    "gzip'd snapshot JSON cut short",
		file:    writeFile("snap.json.gz", gzipped(t, []byte(snapshotJSON))[:60]),
		wantErr: "unexpected EOF (",
	}, {
		name:       "snapshot JSON with a count past the limit",
		file:       writeFile("snap.json", []byte(snapshotJSON)),
		wantDiag:   "capped: processes[0].handle_count: 99999999999999999 is over the limit",
		wantOffset: 51,
	}, {
		name: "zip with two entries of one name",
		file: func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "dup.zip")
			writeZip(t, p, [2]string{"kd.txt", string(processes(3))}, [2]string{"kd.txt", strings.ReplaceAll(string(processes(3)), "ffffe0012a", "ffffe0099a")})
			return p
		},
		wantDiag:  "duplicate-entry: the archive holds 2 entries named kd.txt: this one is read as",
		wantProcs: func(n int) bool { return n == 6 },
	}, {
		name: "zip entry cut short",
		file: func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "cut.zip")
			d := deflated(t, capture)
			d = d[:len(d)/2]
			writeRawZip(t, p, rawEntry{honest("kd.txt", capture, d), d})
			return p
		},
		wantDiag:  "truncated-stream: the entry is cut short at byte",
		wantProcs: func(n int) bool { return n > 100 && n < 2000 },
	}, {
		name: "zip entry that fails its checksum",
		file: func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "crc.zip")
			d := deflated(t, capture)
			hdr := honest("kd.txt", capture, d)
			hdr.CRC32++
			writeRawZip(t, p, rawEntry{hdr, d})
			return p
		},
		wantDiag:  "truncated-stream: the entry's content fails its checksum",
		wantProcs: func(n int) bool { return n == 2000 },
	}, {
		// The entry's record says 2.2 MB compressed, but its deflate
		// data is 140 KB followed by padding: judged by the record, the
		// ratio would let its 100 MB through; judged by what the
		// inflater consumed, it stops at the 64 MiB floor.
		name: "zip bomb whose record overstates its compressed size",
		file: func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "bomb.zip")
			content, d := bomb(t, []byte("0: kd> !process 0 0\n"), 100)
			pad := make([]byte, 2<<20)
			rand.Read(pad)
			d = append(d, pad...)
			writeRawZip(t, p, rawEntry{honest("kd.txt", content, d), d})
			return p
		},
		wantErr: "expands over 200 times its compressed size, like a zip bomb (67",
	}, {
		// Traces are typed from the handle table in a second pass over
		// the archive, which does not count against the limit again.
		name: "zip read twice to type traces, within its limit",
		file: func(t *testing.T, dir string) string {
			data, err := os.ReadFile(tracedCapture)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "traced.zip")
			writeZip(t, p, [2]string{"kd.txt", string(data)})
			return p
		},
		opts:      dumpreader.Options{Limits: dumpreader.Limits{MaxExpanded: tracedSize + 100}},
		wantProcs: func(n int) bool { return n > 0 },
	}, {
		// A compressed minidump is copied to a temporary file to be read
		// by offsets: the copy stops at the limits, and is removed.
		name:    "gzip'd minidump over the expansion limit",
		file:    copyFile(minidumpExample),
		opts:    dumpreader.Options{Limits: dumpreader.Limits{MaxExpanded: 1 << 20}},
		wantErr: "a minidump of over 1048576 bytes to copy to a temporary file",
	}, {
		// Interrupted while the 2 MB dump is copied (the 64 KiB that
		// tell its format are read by then).
		name:    "gzip'd minidump read when interrupted",
		file:    copyFile(minidumpExample),
		opts:    dumpreader.Options{Context: &cancelAfter{Context: context.Background(), n: 20}},
		wantErr: "context canceled",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.file(t, t.TempDir())
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			snap, err := dumpreader.ReadFile(path, tc.opts)
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ReadFile = %v, want an error saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			var got []facts.Diagnostic
			for _, d := range snap.Diagnostics {
				switch d.Code {
				case dumpreader.CodeTruncatedStream, dumpreader.CodeTrailingData, dumpreader.CodeDuplicateEntry, facts.CodeCapped:
					got = append(got, d)
				}
			}
			switch {
			case tc.wantDiag == "" && len(got) > 0:
				t.Errorf("diagnostics %+v, want none", got)
			case tc.wantDiag != "" && (len(got) != 1 || !strings.Contains(got[0].Code+": "+got[0].Message, tc.wantDiag)):
				t.Errorf("diagnostics %+v, want one saying %q", got, tc.wantDiag)
			case tc.wantOffset != 0 && got[0].Offset != tc.wantOffset:
				t.Errorf("diagnostic at offset %d, want %d", got[0].Offset, tc.wantOffset)
			}
			if tc.wantProcs != nil && !tc.wantProcs(len(snap.Processes)) {
				t.Errorf("%d processes read", len(snap.Processes))
			}
		})
	}
}

// writeFile returns a case's file writer for data.
func writeFile(name string, data []byte) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// copyFile returns a case's file writer that copies the file at src.
func copyFile(src string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		return writeFile(filepath.Base(src), data)(t, dir)
	}
}

// cancelAfter is a context that is done once asked n times whether it
// is: leakdiag interrupted in the middle of a read.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}
