package dumpreader

import (
	"bufio"
	"fmt"
	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"
)

// Quoter quotes the lines findings point at from the captures a run read,
// and from nothing else. A position names a path, and a snapshot JSON
// file carries positions whose paths its writer chose: quoting whatever
// they name would copy /etc/passwd or /proc/self/environ into a report,
// or hang on /dev/zero or a FIFO. So reading records each text capture
// it read from a file (Options.Quoter), by the name its positions give,
// and the Quoter quotes from those alone. The zero value is ready to use,
// and it is safe for concurrent use (a batch reads captures in
// parallel).
type Quoter struct {
	mu   sync.Mutex
	read map[string]quoteIndex
}

// quoteIndex finds the lines of a capture: by the offsets of its lines
// in its text, and for a gzip file by the checkpoints its inflating
// can resume from; nil where the capture is read again from its start.
type quoteIndex struct {
	lines *lineIndex
	gz    *gzipIndex
}

// record notes that the capture name was read as text from a file, with
// the index of its lines' offsets where it is a plain file or a gzip
// file with gz, its checkpoints (nil otherwise). A nil Quoter records
// nothing.
func (q *Quoter) record(name string, idx *lineIndex, gz *gzipIndex) {
	if q == nil {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.read == nil {
		q.read = map[string]quoteIndex{}
	}
	q.read[name] = quoteIndex{idx, gz}
}

// recorded reports whether the capture name was read.
func (q *Quoter) recorded(name string) bool {
	if q == nil {
		return false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	_, ok := q.read[name]
	return ok
}

// Quote returns the text of the given lines of the capture path, as
// Quote does, when this run read path as a text capture; for any other
// path it reads nothing and returns an error. A plain file is read only
// around the lines asked for, found by the offsets noted as it was read,
// and a gzip file is inflated only from the checkpoint before them.
func (q *Quoter) Quote(path string, lines []int64) (map[int64]string, error) {
	q.mu.Lock()
	idx, read := q.read[path]
	q.mu.Unlock()
	if !read {
		return nil, fmt.Errorf("%s: not a capture this run read: not quoted", path)
	}
	if idx.lines == nil || len(lines) == 0 {
		return Quote(path, lines)
	}
	if err := regularCapture(path); err != nil {
		return nil, err
	}
	if idx.gz != nil {
		return quoteGzipIndexed(path, idx.lines, idx.gz, lines)
	}
	return quoteIndexed(path, idx.lines, lines)
}

// Quote returns the text of the given lines of the capture at path (a
// file, gzip or not, or an entry of a zip archive: archive.zip!/entry), as
// cleaned for reading (see scan.Cleaner), keyed by line number. It reads the
// file once, in whatever encoding it has, and stops after the last line
// asked for, so quoting the evidence of a finding near the start of a
// large capture costs little.
//
// Quote opens the path it is given, so it must be given only paths of
// captures the caller read: positions from a snapshot file name paths
// its writer chose (a Quoter checks). It opens nothing but regular files:
// a FIFO or a device would block or never end.
func Quote(path string, lines []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(lines) == 0 {
		return out, nil
	}
	if err := regularCapture(path); err != nil {
		return nil, err
	}
	want := append([]int64(nil), lines...)
	sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
	f, err := openCapture(path, Limits{})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, scan.SniffLen)
	head, _ := br.Peek(scan.SniffLen)
	enc, bom := sniffEncoding(head)
	var r io.Reader = br
	if bom > 0 {
		br.Discard(bom)
	}
	if enc != encUTF8 {
		r = newUTF16Reader(br, enc == encUTF16BE)
	}
	lr := scan.NewLineReader(r)
	var c scan.Cleaner
	var n int64
	next := 0
	for next < len(want) {
		line, ok := lr.Next()
		if !ok {
			break
		}
		n++
		for next < len(want) && want[next] < n {
			next++ // asked twice, or before line 1
		}
		if next < len(want) && want[next] == n {
			out[n] = scan.QuoteLine(c.Clean(line))
			next++
		}
	}
	return out, lr.Err()
}

// regularCapture refuses a capture name that is, or lies in, something
// other than a regular file, before anything opens it: opening a FIFO
// waits for a writer, and /dev/zero never ends. Of an archive!/entry
// name, both the archive and the name itself (which openCapture opens
// when the archive is no zip) are checked where they exist.
func regularCapture(name string) error {
	paths := []string{name}
	if i := strings.Index(name, entrySep); i > 0 {
		paths = append(paths, name[:i])
	}
	found := false
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file (%v): not quoted", p, st.Mode().Type())
		}
		found = true
	}
	if !found {
		return &fs.PathError{Op: "quote", Path: name, Err: fs.ErrNotExist}
	}
	return nil
}
