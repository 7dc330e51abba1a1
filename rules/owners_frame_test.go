package rules

import "testing"

func TestOwnerMatchFrame(t *testing.T) {
	for _, tc := range []struct {
		pattern, module, function string
		symbols, want             bool
	}{
		{"contoso*.dll", "contosoagent", "Open", true, true},
		{"contoso*.dll", "contosoagent", "", false, true},
		{"Contoso*.DLL", "contosoagent", "", false, true},
		{"contoso*.dll", "fabrikam", "Open", true, false},
		{"contoso.dll!Cache*", "contoso", "CacheOpen", true, true},
		{"contoso.dll!cache*", "contoso", "CacheOpen", true, true},
		{"contoso.dll!Cache*", "contoso", "Flush", true, false},
		{"contoso.dll!Cache*", "contoso", "", false, false},
		{"**.dll", "contoso", "", false, false}, // all wildcards once .dll is gone
	} {
		p, err := compilePattern(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		o := &Owner{Module: p}
		for _, compiled := range []bool{false, true} {
			if compiled {
				o.frame = compileFrame(p)
			}
			if got := o.MatchFrame(tc.module, tc.function, tc.symbols); got != tc.want {
				t.Errorf("%q.MatchFrame(%q, %q, %v) = %v, want %v (compiled at load: %v)", tc.pattern, tc.module, tc.function, tc.symbols, got, tc.want, compiled)
			}
		}
	}
}
