package dumpreader

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/leakdiag/leakdiag/dumpreader/minidump"
	"github.com/leakdiag/leakdiag/facts"
)

// FormatMinidump is a user-mode minidump (MDMP): its handle data stream
// (types, names, counts), handle operation list (traces with stacks),
// module list, misc info (pid, create time) and system info.
const FormatMinidump Format = "minidump"

// Minidump diagnostic codes not shared with text readers.
const (
	// CodeNoHandleData: the dump has no handle data stream (written
	// without MiniDumpWithHandleData), so it says nothing about handles.
	CodeNoHandleData = "no-handle-data"
	// CodeUnresolvedFrame: a trace address in no module of the dump.
	CodeUnresolvedFrame = "unresolved-frame"
)

// readMinidump reads the minidump in r (size bytes) into b, reading only
// the parts it needs with ReadAt.
func readMinidump(b *facts.Builder, r io.ReaderAt, size int64, name string) error {
	d, err := minidump.Open(r, size)
	if err != nil {
		var fe *minidump.FormatError
		if errors.As(err, &fe) {
			return fmt.Errorf("%s: not a minidump that can be read: %s (at byte %#x)", name, fe.Message, fe.Offset)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	log := facts.NewSourceLog(name, string(FormatMinidump))
	hdr := d.Header()
	captured := ""
	if !hdr.Time.IsZero() && hdr.Time.Unix() > 0 {
		captured = hdr.Time.UTC().Format(time.RFC3339)
	}
	osVersion := ""
	if si, ok := d.SystemInfo(); ok {
		osVersion = si.OSVersion()
	}
	b.SetHost("", osVersion, captured)

	procPos := facts.Position{Path: name, Offset: hdr.DirectoryOffset}
	if st, ok := d.Stream(minidump.MiscInfoStream); ok {
		procPos.Offset = st.Offset
	}
	pb := b.Debuggee(procPos)
	p := pb.P
	if misc, ok := d.Misc(); ok {
		if misc.HasPID {
			p.PID = uint64(misc.PID)
		}
		if misc.HasCreateTime {
			p.CreateTime = misc.CreateTime.UTC().Format(time.RFC3339)
		}
	} else if _, ok := d.Stream(minidump.MiscInfoStream); ok {
		log.DiagAt(procPos.Offset, facts.SevInfo, facts.CodeMissing, "the misc info stream could not be read (see its problem): the process id is unknown")
	} else {
		log.DiagAt(hdr.DirectoryOffset, facts.SevInfo, facts.CodeMissing, "no misc info stream: the process id is unknown")
	}
	mods := d.Modules()
	for i, m := range mods {
		fm := facts.Module{Name: moduleFileName(m.Name), Path: m.Name, Base: fmt.Sprintf("%#x", m.Base), Size: uint64(m.Size), Version: m.FileVersion}
		if m.TimeDateStamp != 0 {
			fm.Timestamp = time.Unix(int64(m.TimeDateStamp), 0).UTC().Format(time.RFC3339)
		}
		p.Modules = append(p.Modules, fm)
		if i == 0 {
			// The first module of a process's list is its executable.
			p.Image, p.Path = fm.Name, m.Name
		}
	}
	for _, t := range d.Threads() {
		pb.AddThread(uint64(t.ID), false) // a thread id stands in for the object address
	}

	if err := readMinidumpHandles(d, pb, name, log); err != nil {
		return err
	}
	if err := readMinidumpTraces(d, pb, name, log); err != nil {
		return err
	}
	if err := typeTraces(pb, d, name); err != nil {
		return err
	}

	acc := d.Accounting()
	log.Bytes = &facts.ByteCounts{Total: acc.Size, Parsed: acc.Parsed, Skipped: acc.Skipped, SkippedBy: acc.SkippedByType, Other: acc.Other}
	for _, pr := range d.Problems() {
		log.DiagAt(max(pr.Offset, 1), facts.Severity(pr.Severity), pr.Code, "%s", pr.Message)
	}
	for code, n := range d.DroppedProblems() {
		log.DiagAt(1, facts.SevInfo, facts.CodeMoreOmitted, "%d more %q problems not listed", n, code)
	}
	b.AddSource(log)
	return nil
}

// moduleFileName is the file name of a module path, Windows or POSIX.
func moduleFileName(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	return path.Base(p)
}

// readMinidumpHandles adds the handle data stream's handles. Whether a
// handle without a name is unnamed or just not shown depends on the
// writer: DbgHelp names every named object, Crashpad names none.
func readMinidumpHandles(d *minidump.Dump, pb *facts.ProcessBuilder, name string, log *facts.SourceLog) error {
	table, ok := d.HandleTable()
	if !ok {
		log.DiagAt(d.Header().DirectoryOffset, facts.SevWarning, CodeNoHandleData,
			"no handle data stream: the dump was written without handle data (procdump -mh, .dump /mh, MiniDumpWithHandleData), so it says nothing about handles")
		return nil
	}
	named := false
	if err := d.Handles(func(h *minidump.Handle) error {
		if h.Name != "" {
			named = true
			return errStopWalk
		}
		return nil
	}); err != nil && !errors.Is(err, errStopWalk) {
		return fmt.Errorf("%s: %w", name, err)
	}
	if !named && table.Count > 0 {
		log.DiagAt(table.Offset, facts.SevInfo, facts.CodeMissing,
			"the handle data has object types but no object names (as Crashpad writes it): names are unknown, not absent")
	}
	var n int64
	err := d.Handles(func(h *minidump.Handle) error {
		hd := &facts.Handle{Value: h.Value, Type: h.Type, Name: h.Name, Naming: facts.NameUnknown,
			Pos: facts.Position{Path: name, Offset: h.Offset}}
		switch {
		case h.Name != "":
			hd.Naming = facts.Named
		case named:
			hd.Naming = facts.Unnamed
		}
		if h.Attributes&0x1 != 0 {
			hd.Attributes |= facts.AttrProtected
		}
		if h.Attributes&0x2 != 0 {
			hd.Attributes |= facts.AttrInherit
		}
		if pb.AddHandle(hd) == facts.AddedDuplicate {
			log.DiagAt(h.Offset, facts.SevWarning, facts.CodeDuplicate, "handle %#x listed twice in the handle data", h.Value)
		}
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	// The handle data lists every handle of the process.
	pb.P.HandleCount = &n
	return nil
}

var errStopWalk = errors.New("stop")

// readMinidumpTraces adds the handle operation list (the trace database
// Application Verifier or !htrace -enable keeps) as traces. The list is
// taken as oldest first, the order of the database; !htrace prints newest
// first, and AddTrace wants that order, so it is fed in reverse. Return
// addresses resolve to module+offset through the module list (a dump has
// no symbols).
func readMinidumpTraces(d *minidump.Dump, pb *facts.ProcessBuilder, name string, log *facts.SourceLog) error {
	if _, ok := d.HandleTrace(); !ok {
		return nil
	}
	var ops []*minidump.HandleOp
	err := d.HandleOps(func(op *minidump.HandleOp) error {
		switch op.Kind {
		case minidump.OpOpen, minidump.OpClose, minidump.OpBadReference:
			ops = append(ops, op)
		}
		if len(ops) > maxTraceOps {
			return errStopWalk
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStopWalk) {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(ops) > maxTraceOps {
		log.DiagAt(ops[maxTraceOps].Offset, facts.SevWarning, facts.CodeTruncated, "more than %d handle operations: the rest are not read", maxTraceOps)
		ops = ops[:maxTraceOps]
	}
	pid := pb.P.PID
	unresolved := 0
	for i := len(ops) - 1; i >= 0; i-- {
		op := ops[i]
		if pid != 0 && uint64(op.ProcessID) != pid {
			continue
		}
		frames := make([]string, 0, len(op.Stack))
		for _, addr := range op.Stack {
			if m, off, ok := d.ModuleAt(addr); ok {
				frames = append(frames, fmt.Sprintf("%s+%#x", strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(moduleFileName(m.Name), ".dll"), ".exe"), ".sys"), off))
				continue
			}
			frames = append(frames, fmt.Sprintf("%#x", addr))
			if unresolved == 0 {
				log.DiagAt(op.Offset, facts.SevInfo, CodeUnresolvedFrame, "trace address %#x is in no module of the dump: shown as an address", addr)
			}
			unresolved++
		}
		pb.AddTrace(&facts.Trace{Handle: op.Handle, Kind: op.Kind, Frames: frames, Pos: facts.Position{Path: name, Offset: op.Offset}})
	}
	return nil
}

// typeTraces gives the open stacks the types the dump's own handle table
// shows for their handles.
func typeTraces(pb *facts.ProcessBuilder, d *minidump.Dump, name string) error {
	values := pb.TracedValues()
	if len(values) == 0 {
		return nil
	}
	traced := make(map[uint64]bool, len(values))
	for _, v := range values {
		traced[v] = true
	}
	infos := map[uint64]facts.HandleInfo{}
	err := d.Handles(func(h *minidump.Handle) error {
		if traced[h.Value] {
			infos[h.Value] = facts.HandleInfo{Type: h.Type, Name: h.Name}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	pb.AttachHandleInfo(infos)
	return nil
}

// maxTraceOps bounds the handle operations read: the trace database of
// Windows holds at most 64K entries; a damaged count must not make the
// reader hold millions.
const maxTraceOps = 1 << 20

// readMinidumpFile reads a minidump given by path, using the file itself
// for random access.
func readMinidumpFile(b *facts.Builder, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	return readMinidump(b, f, st.Size(), p)
}

// readMinidumpStream reads a minidump that comes as a stream (from a
// gzip file, a zip archive or standard input): it is copied to a
// temporary file first, as a minidump is read by offsets. The copy is
// held to the limits a decompressed text capture has (lim.MaxExpanded,
// and MaxRatio, which the bomb guard of a compressed stream applies as
// it is read), whatever the stream, and the file is removed however the
// reading ends: an error, a limit, or Options.Context done when leakdiag
// is interrupted.
func readMinidumpStream(b *facts.Builder, r io.Reader, name string, lim Limits) error {
	lim = lim.withDefaults()
	tmp, err := os.CreateTemp("", "leakdiag-*.dmp")
	if err != nil {
		return fmt.Errorf("%s: a temporary file for the minidump: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(r, lim.MaxExpanded+1))
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	case n > lim.MaxExpanded:
		return fmt.Errorf("%s: a minidump of over %d bytes to copy to a temporary file: %w (Limits.MaxExpanded)", name, lim.MaxExpanded, ErrExpandLimit)
	}
	return readMinidump(b, tmp, n, name)
}
