package kd

import "testing"

func TestTraceFrame(t *testing.T) {
	for in, want := range map[string]string{
		"0x00007ffb242e0744: ntdll!NtCreateEvent+0x0000000000000014": "ntdll!NtCreateEvent+0x14",
		"0x8018F44A: ntoskrnl!ExCreateHandle+0x94":                   "ntoskrnl!ExCreateHandle+0x94",
		"0x00007ff841eeccbd: System_Net_Http!DomainBoundILStubClass.IL_STUB_PInvoke(IntPtr, UInt32, System.String)+0x000000000000010d": "System_Net_Http!DomainBoundILStubClass.IL_STUB_PInvoke(IntPtr, UInt32, System.String)+0x10d",
		"0x00007ffb12420606: mscorlib_ni!IL_STUB_PInvoke(Boolean)$##6000000+0x0000000000000106":                                        "mscorlib_ni!IL_STUB_PInvoke(Boolean)$##6000000+0x106",
	} {
		got, ok := traceFrame([]byte(in))
		if !ok || got != want {
			t.Errorf("traceFrame(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"0x: x", "0xZZ: a!b", "Handle = 0x1 - OPEN", "0x1234:"} {
		if got, ok := traceFrame([]byte(in)); ok {
			t.Errorf("traceFrame(%q) = %q, want no frame", in, got)
		}
	}
}
