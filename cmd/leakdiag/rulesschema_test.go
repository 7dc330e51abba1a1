package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/rules"
)

// TestRulesSchemaFactsCompile: every fact the schema lists compiles in a
// condition of its scope, and the text and JSON forms list the same facts.
func TestRulesSchemaFactsCompile(t *testing.T) {
	code, out, errOut := runCLI(t, "rules", "schema")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, js, _ := runCLI(t, "rules", "schema", "--json")
	var fields []facts.Field
	if code != 0 || json.Unmarshal([]byte(js), &fields) != nil || len(fields) < 40 {
		t.Fatalf("--json: exit %d, %d fields", code, len(fields))
	}
	var src strings.Builder
	src.WriteString("rules:\n")
	for i, f := range fields {
		if !strings.Contains(out, f.Name+" ") {
			t.Errorf("text schema lacks %s", f.Name)
		}
		scope := "process"
		if strings.HasPrefix(f.Name, "snapshot.") {
			scope = "snapshot"
		}
		// A condition that uses the fact with its type: size() for
		// collections, a comparison with a zero value otherwise.
		cond := map[string]string{"int": f.Name + " >= 0 || true", "double": f.Name + " >= 0.0 || true",
			"string": f.Name + ` != "" || true`, "bool": f.Name + " || true"}[f.Type]
		if cond == "" {
			cond = "size(" + f.Name + ") >= 0"
			if !strings.HasPrefix(f.Type, "map") && !strings.HasPrefix(f.Type, "list") {
				cond = f.Name + ".count >= 0" // a name
			}
		}
		fmt.Fprintf(&src, "  - id: S%04d\n    title: uses %s\n    scope: %s\n    when: '%s'\n", i, f.Name, scope, cond)
	}
	if _, err := rules.Load([]rules.Source{{Path: "schema.yaml", Data: []byte(src.String())}}); err != nil {
		t.Errorf("a fact of the schema does not compile with its type:\n%v", err)
	}
}

// TestRulesSchemaFiles: what `rules schema --rule-file` and
// `--suppressions-file` print is the copy in docs/schemas, which the rules
// package's tests keep equal to the code.
func TestRulesSchemaFiles(t *testing.T) {
	for flag, file := range map[string]string{"--rule-file": "rule-file.schema.json", "--suppressions-file": "suppressions-file.schema.json"} {
		code, out, errOut := runCLI(t, "rules", "schema", flag)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", flag, code, errOut)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "docs", "schemas", file))
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("rules schema %s differs from docs/schemas/%s", flag, file)
		}
	}
	if code, _, errOut := runCLI(t, "rules", "schema", "--rule-file", "--suppressions-file"); code != 2 || !strings.Contains(errOut, "one schema at a time") {
		t.Errorf("both: exit %d, %q", code, errOut)
	}
}
