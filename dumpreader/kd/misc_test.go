package kd

import "testing"

func TestCommandImage(t *testing.T) {
	tests := []struct{ cmd, want string }{
		{`"C:\Program Files\Fabrikam\svc.exe" -console`, "svc.exe"},
		{`C:\Program Files\Fabrikam\svc.exe -console`, "svc.exe"},
		{`C:\tools\leaky.EXE`, "leaky.EXE"},
		{`notepad.exe c:\a.txt`, "notepad.exe"},
		{`/opt/wine/app`, "app"},
		{`cmd /c run`, "cmd"},
		{`""`, ""},
	}
	for _, tc := range tests {
		if got := commandImage([]byte(tc.cmd)); got != tc.want {
			t.Errorf("commandImage(%q) = %q, want %q", tc.cmd, got, tc.want)
		}
	}
}
