package facts

import "testing"

// TestTypeFromFrames: the first frame that creates or opens objects names
// the type, whatever its module, offset and A/W/Ex/Internal suffix.
func TestTypeFromFrames(t *testing.T) {
	for _, tc := range []struct {
		frames []string
		want   string
	}{
		{[]string{"KERNELBASE!CreateEventW+0x5b"}, "Event"},
		{[]string{"contoso!Poll+0x10", "ntdll!NtCreateFile+0x14", "KERNELBASE!CreateFileW"}, "File"},
		{[]string{"kernel32!CreateFileMappingA"}, "Section"},
		{[]string{"ADVAPI32!RegOpenKeyExW+0x20"}, "Key"},
		{[]string{"KERNELBASE!CreateRemoteThreadEx+0x1"}, "Thread"},
		{[]string{"KERNELBASE!CreateProcessInternalW+0x1"}, "Process"},
		{[]string{"nt!IopCreateFile+0x10", "contoso!Open"}, ""},
		{[]string{"contoso!CreateWidget"}, ""},
		{nil, ""},
	} {
		if got := TypeFromFrames(tc.frames); got != tc.want {
			t.Errorf("TypeFromFrames(%q) = %q, want %q", tc.frames, got, tc.want)
		}
	}
}

// TestCreatorType: every function leakdiag knows creates objects names
// its type.
func TestCreatorType(t *testing.T) {
	for _, tc := range []struct{ fn, want string }{
		{"createevent", "Event"}, {"createfile", "File"}, {"createfilemapping", "Section"},
		{"createiocompletionport", "IoCompletion"}, {"createmutex", "Mutant"}, {"createprocess", "Process"},
		{"createremotethread", "Thread"}, {"createsemaphore", "Semaphore"}, {"createthread", "Thread"},
		{"createwaitabletimer", "Timer"}, {"duplicatetoken", "Token"}, {"iocreatefile", "File"},
		{"iocreatefilespecifydeviceobjecthint", "File"}, {"localbaseregopenkey", "Key"}, {"ntcreateevent", "Event"},
		{"ntcreatefile", "File"}, {"ntcreateiocompletion", "IoCompletion"}, {"ntcreatekey", "Key"},
		{"ntcreatemutant", "Mutant"}, {"ntcreatesection", "Section"}, {"ntcreatesemaphore", "Semaphore"},
		{"ntcreatethread", "Thread"}, {"ntcreatetimer", "Timer"}, {"ntcreateuserprocess", "Process"},
		{"ntopenfile", "File"}, {"ntopenkey", "Key"}, {"ntopenprocess", "Process"},
		{"ntopenprocesstoken", "Token"}, {"ntopenthread", "Thread"}, {"openevent", "Event"},
		{"openfilemapping", "Section"}, {"openmutex", "Mutant"}, {"openprocess", "Process"},
		{"openprocesstoken", "Token"}, {"openthread", "Thread"}, {"openthreadtoken", "Token"},
		{"psopenprocess", "Process"}, {"psopenthread", "Thread"}, {"regcreatekey", "Key"},
		{"regopenkey", "Key"}, {"zwcreateevent", "Event"}, {"zwcreatefile", "File"},
		{"zwcreatekey", "Key"}, {"zwcreatemutant", "Mutant"}, {"zwcreatesection", "Section"},
		{"zwcreatesemaphore", "Semaphore"}, {"zwcreatethread", "Thread"}, {"zwopenfile", "File"},
		{"zwopenkey", "Key"}, {"zwopenprocess", "Process"}, {"zwopenthread", "Thread"},
	} {
		if got, ok := creatorType(tc.fn); !ok || got != tc.want {
			t.Errorf("creatorType(%q) = %q, %v, want %q", tc.fn, got, ok, tc.want)
		}
	}
	if got, ok := creatorType("createwidget"); ok {
		t.Errorf("creatorType(%q) = %q, true, want none", "createwidget", got)
	}
}
