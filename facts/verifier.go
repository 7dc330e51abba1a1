package facts

// VerifierStop is an Application Verifier stop that reports a leaked
// handle ("VERIFIER STOP 0000000000000901: pid 0x4D38: A HANDLE was
// leaked."): the verifier saw the handle still open when the code that
// owned it was unloaded (or, for the PrintAPI layer's printer handles,
// when the process exited), which is a leak by definition, whatever the
// process's handle count.
type VerifierStop struct {
	// Code is the stop code without leading zeros, as lower-case hex
	// ("901", "a000").
	Code string `json:"code"`
	// Message is the verifier's own words ("A HANDLE was leaked.").
	Message string `json:"message"`
	// Handle is the leaked handle's value, 0 when the capture omits the
	// stop's parameters.
	Handle uint64 `json:"handle"`
	// Type is the leaked object's type where the stop says it (Key for
	// a leaked HKEY), else "".
	Type string `json:"type,omitempty"`
	// Frames is the stack that opened the handle, where the capture shows
	// it: a dps of the stop's stack trace parameter, else the `!htrace`
	// of its handle.
	Frames []string `json:"frames,omitempty"`
	// Owner is the DLL the verifier holds responsible for the handle, the
	// one that was unloaded with it open (901), where the capture shows
	// a du of the stop's "owner dll name" parameter ("contosohook.dll").
	Owner string `json:"owner,omitempty"`
	// BreakFrames is the stack of the thread the stop broke in on, where
	// a `k` (kb, kn, kv...) pasted right after the stop shows it: the
	// code that hit the verifier's check (for A00B, the call that opened
	// a printer handle too many; for a leak stop, the one that unloaded
	// the DLL or ended the process), which is not always the code that
	// opened the handle. It names the component only where Frames is
	// empty.
	BreakFrames []string `json:"break_frames,omitempty"`
	// Open is, for a stop that warns of too many open handles of a kind
	// (the PrintAPI layer's A00B: "Too many open printer handles"), the
	// count of them its first parameter gives ("000003EB : Number of
	// currently open printer handles."); 0 for other stops.
	Open uint64   `json:"open,omitempty"`
	Pos  Position `json:"pos"`
}

// TooMany reports whether the stop warns of too many open handles of a
// kind rather than naming a leaked one.
func (s *VerifierStop) TooMany() bool {
	_, ok := verifierTooManyStops[s.Code]
	return ok
}

// verifierLeakStops maps the stop codes of Application Verifier's checks
// that report a leaked handle to the type of the leaked object ("" when
// any type, or not a kernel object): the Leak layer's, and the PrintAPI
// layer's leaked spooler handles, found open as the process exited.
var verifierLeakStops = map[string]string{
	"901":  "",    // VERIFIER_STOP_LEAK_HANDLE: A HANDLE was leaked.
	"902":  "Key", // VERIFIER_STOP_LEAK_REGISTRY: A HKEY was leaked.
	"a000": "",    // LEAKED_PRINTER_HANDLE: Leaked printer handle detected
	"a001": "",    // LEAKED_PRINTER_CHANGE_NOTIFICATION_HANDLE
	"a012": "",    // Leaked PrintTicket provider handle detected
}

// verifierTooManyStops maps the stop codes of the PrintAPI layer's
// warnings that a process holds too many handles of a kind open (past
// 1,000, its documentation says: each handle opened past them stops
// again) to that kind. A count that high is what a handle opened per
// print job and never closed comes to: evidence of a leak, if weaker
// than a handle found open at exit, as the verifier's own severity
// (a warning) says.
var verifierTooManyStops = map[string]string{
	"a00b": "printer",                     // Too many open printer handles
	"a00d": "PrintTicket provider",        // Too many open PrintTicket provider handles (HPTPROVIDER)
	"a013": "printer change notification", // Too many open printer change notification handles
}

// IsVerifierTooManyHandles reports whether a verifier stop code (hex,
// without leading zeros) warns of too many open handles, and of which
// kind ("printer").
func IsVerifierTooManyHandles(code string) (kind string, ok bool) {
	kind, ok = verifierTooManyStops[code]
	return kind, ok
}

// IsVerifierHandleLeak reports whether a verifier stop code (hex, without
// leading zeros) reports a leaked handle, and the object type it implies.
func IsVerifierHandleLeak(code string) (typ string, ok bool) {
	typ, ok = verifierLeakStops[code]
	return typ, ok
}

// AddVerifierStop records a verifier stop of the process.
func (pb *ProcessBuilder) AddVerifierStop(s VerifierStop) {
	pb.P.VerifierStops = append(pb.P.VerifierStops, s)
}

// finishVerifierStops gives each stop the stack `!htrace` recorded for its
// handle, where there is one.
func (pb *ProcessBuilder) finishVerifierStops(p *Process) {
	ta := pb.moreRead().traces
	if ta == nil {
		return
	}
	for i := range p.VerifierStops {
		s := &p.VerifierStops[i]
		if st := ta.stackOf[s.Handle]; st != nil && len(s.Frames) == 0 {
			s.Frames = append([]string(nil), st.Frames...)
		}
	}
}
