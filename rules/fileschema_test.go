package rules

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

var updateSchemas = flag.Bool("update-schemas", false, "rewrite docs/schemas from the code")

// compileSchema compiles a schema FileSchema or SuppressionsSchema made.
func compileSchema(t *testing.T, schema map[string]any) *jsonschema.Schema {
	t.Helper()
	data, err := json.Marshal(schema)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	id := schema["$id"].(string)
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// yamlAsJSON reads a YAML file as the YAML language server sees it: JSON
// values, dates as strings.
func yamlAsJSON(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return jsonOf(v)
}

func jsonOf(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonOf(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsonOf(e)
		}
	case int:
		return float64(x)
	case time.Time:
		return x.Format(time.DateOnly)
	}
	return v
}

// TestSchemaFilesUpToDate: the schemas in docs/schemas are what the code
// generates (go test ./rules -update-schemas rewrites them).
func TestSchemaFilesUpToDate(t *testing.T) {
	for file, schema := range map[string]map[string]any{
		"rule-file.schema.json":         FileSchema(),
		"suppressions-file.schema.json": SuppressionsSchema(),
	} {
		data, err := json.MarshalIndent(schema, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, '\n')
		path := filepath.Join("..", "docs", "schemas", file)
		if *updateSchemas {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./rules -update-schemas writes it)", err)
		}
		if diff := cmp.Diff(string(have), string(data)); diff != "" {
			t.Errorf("%s is not what the code generates: go test ./rules -update-schemas (-file +code):\n%s", path, diff)
		}
	}
}

// TestEveryKeyFile: testdata/every-key.yaml uses every documented key of
// every mapping of a rule file, loads without a problem, and validates.
// With the decoder reading fileKeys, this keeps the decoder, the schema
// and the documentation one list.
func TestEveryKeyFile(t *testing.T) {
	const path = "testdata/every-key.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	set := mustLoad(t, Source{Path: path, Data: data})
	if len(set.Warnings) > 0 {
		t.Errorf("warnings: %v", set.Warnings)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	used := map[string][]string{}
	keys := func(n *yaml.Node, what string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i].Value; !slices.Contains(used[what], k) {
				used[what] = append(used[what], k)
			}
		}
	}
	value := func(n *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
		return &yaml.Node{}
	}
	root := doc.Content[0]
	keys(root, "rule file")
	for _, r := range value(root, "rules").Content {
		keys(r, "rule")
		for _, e := range value(r, "exceptions").Content {
			keys(e, "exception")
		}
	}
	for _, o := range value(root, "owners").Content {
		keys(o, "owner")
		keys(value(o, "match"), "owner match")
	}
	for what := range fileKeys {
		if strings.HasPrefix(what, "suppression") {
			continue
		}
		want := documentedKeys(what)
		slices.Sort(want)
		got := used[what]
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: %s does not use every documented key (-documented +used):\n%s", what, path, diff)
		}
	}
	if err := compileSchema(t, FileSchema()).Validate(yamlAsJSON(t, path)); err != nil {
		t.Errorf("%s does not validate: %v", path, err)
	}
}

// TestSchemaValidatesRuleFiles: every rule file in the repository
// validates; files with an unknown key or a bad enumeration do not.
func TestSchemaValidatesRuleFiles(t *testing.T) {
	schema := compileSchema(t, FileSchema())
	var files []string
	for _, glob := range []string{"../rules.d/*.yaml", "../docs/examples/*/*.yaml", "../testdata/examples/*/*.yaml", "../cmd/leakdiag/testdata/*/*/*.yaml"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	n := 0
	for _, f := range files {
		if IsTestFile(filepath.Base(f)) {
			continue
		}
		var probe map[string]any
		if data, _ := os.ReadFile(f); yaml.Unmarshal(data, &probe) != nil || probe["suppressions"] != nil {
			continue
		}
		if strings.Contains(f, "/lint/") || strings.Contains(f, "/ruletests/") {
			continue // lint cases are meant to be wrong
		}
		n++
		if err := schema.Validate(yamlAsJSON(t, f)); err != nil {
			t.Errorf("%s does not validate: %v", f, err)
		}
	}
	if n < 6 {
		t.Errorf("validated %d rule files, want the defaults and the examples", n)
	}
	for _, c := range []struct{ name, src string }{
		{"unknown key", "rules:\n  - id: X\n    title: t\n    when: 'true'\n    severty: error\n"},
		{"bad severity", "rules:\n  - id: X\n    title: t\n    when: 'true'\n    severity: critical\n"},
		{"bad scope", "rules:\n  - id: X\n    scope: machine\n"},
		{"no id", "rules:\n  - title: t\n"},
		{"bad operator", "rules:\n  - id: X\n    exceptions: [{name: n, reason: r, match: [[image, '~', a]]}]\n"},
		{"unknown fact", "rules:\n  - id: X\n    exceptions: [{name: n, reason: r, match: [[imag, '=', a]]}]\n"},
		{"bad list name", "lists:\n  bad-name: [a]\n"},
		{"owner key", "owners:\n  - match: {img: a.exe}\n    component: c\n"},
	} {
		var v any
		if err := yaml.Unmarshal([]byte(c.src), &v); err != nil {
			t.Fatal(err)
		}
		if schema.Validate(jsonOf(v)) == nil {
			t.Errorf("%s: validates, want a schema error", c.name)
		}
	}
}

func TestSuppressionsSchema(t *testing.T) {
	schema := compileSchema(t, SuppressionsSchema())
	good := "suppressions:\n  - fingerprint: v1:0123456789abcdef0123456789abcdef\n    reason: r\n  - rule: LD000*\n    image: a.exe\n    reason: r\n    expires: 2027-03-31\n"
	var v any
	if err := yaml.Unmarshal([]byte(good), &v); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(jsonOf(v)); err != nil {
		t.Errorf("a good file does not validate: %v", err)
	}
	for _, bad := range []string{
		"suppressions:\n  - reason: r\n",
		"suppressions:\n  - rule: X\n",
		"suppressions:\n  - rule: X\n    reason: r\n    expire: 2027-03-31\n",
		"suppressions:\n  - fingerprint: abc\n    reason: r\n",
	} {
		var v any
		if err := yaml.Unmarshal([]byte(bad), &v); err != nil {
			t.Fatal(err)
		}
		if schema.Validate(jsonOf(v)) == nil {
			t.Errorf("%q validates, want a schema error", bad)
		}
	}
}
