package kd

import (
	"strings"
	"testing"
)

// TestStopMessageBounded: a stop's message continues on at most
// maxStopWraps short lines under it, however many follow: each line of a
// long run was joined to the message, copying it (50,000 lines took 12
// seconds).
func TestStopMessageBounded(t *testing.T) {
	in := "VERIFIER STOP 0000A000 : pid 0x9C4: Leaked printer handle\n" + strings.Repeat("detected\n", 50000)
	snap := readString(t, in)
	if len(snap.Processes) != 1 || len(snap.Processes[0].VerifierStops) != 1 {
		t.Fatalf("processes %+v, want one with one stop", snap.Processes)
	}
	msg := snap.Processes[0].VerifierStops[0].Message
	if want := "Leaked printer handle" + strings.Repeat(" detected", maxStopWraps); msg != want {
		t.Errorf("message %.80q... (%d bytes), want %q", msg, len(msg), want)
	}
}

// TestInlineParamMeaningBounded: the meaning of a parameter a flattened
// stop carries keeps its first maxMeaningWords words: the words of a
// line were joined one at a time, copying the meaning so far (a line of
// 300,000 words did not end in minutes).
func TestInlineParamMeaningBounded(t *testing.T) {
	msg, params, _ := splitInlineParams("Leaked printer handle detected 000000A4 : Printer handle being leaked. " + strings.Repeat("ab ", 10000))
	if msg != "Leaked printer handle detected" || len(params) != 1 {
		t.Fatalf("splitInlineParams = %q, %d params; want the message and one", msg, len(params))
	}
	if n := len(strings.Fields(params[0].meaning)); n != maxMeaningWords || !strings.HasPrefix(params[0].meaning, "Printer handle being leaked. ab") {
		t.Errorf("meaning of %d words %.40q..., want %d words", n, params[0].meaning, maxMeaningWords)
	}
}
