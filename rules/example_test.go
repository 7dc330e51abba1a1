package rules_test

import (
	"fmt"

	"github.com/leakdiag/leakdiag/rules"
)

// Load reads rule files in order (the defaults first, then a site's) and
// compiles every condition once; a file with problems gives all of them
// at once, each with its position and a caret.
func ExampleLoad() {
	site := rules.Source{Path: "site.yaml", Data: []byte(`rules:
  - id: SITE0001
    title: The print spooler holds too many handles
    when: lower(process.image) == "spoolsv.exe" && process.handles > params.threshold
    params: {threshold: 5000}
    severity: error
    message: "{{.process.label}} holds {{count .process.handles}} handles"
`)}
	set, err := rules.Load([]rules.Source{site})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := set.Rule("SITE0001")
	fmt.Println(r.ID, r.Severity, r.Scope, r.Lang)

	bad := rules.Source{Path: "bad.yaml", Data: []byte(`rules:
  - id: SITE0002
    title: Misspelled
    when: process.handels > 10
    severty: warning
`)}
	_, err = rules.Load([]rules.Source{bad})
	fmt.Println(err)
	// Output:
	// SITE0001 error process cel
	// bad.yaml:4:19: rule "SITE0002": undefined field 'handels' (did you mean "handles"?)
	//         when: process.handels > 10
	//                       ^
	// bad.yaml:5:5: rule "SITE0002": unknown key "severty" in rule (did you mean "severity"?)
	//         severty: warning
	//         ^
}
