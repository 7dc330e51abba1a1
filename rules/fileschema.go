package rules

import (
	"slices"

	"github.com/leakdiag/leakdiag/severity"
)

// The $id of the JSON Schemas of rule files and suppressions files.
const (
	FileSchemaID         = "https://leakdiag.dev/schemas/rule-file.schema.json"
	SuppressionsSchemaID = "https://leakdiag.dev/schemas/suppressions-file.schema.json"
)

// fileKeys are the keys of each mapping in rule files and suppressions
// files, by what the decoder calls the mapping, with what each means. The
// decoder accepts exactly these keys, and FileSchema and
// SuppressionsSchema write them for editors.
var fileKeys = map[string][]fileKey{
	"rule file": {
		{"requires", "The least leakdiag version this file needs (MAJOR.MINOR or MAJOR.MINOR.PATCH); an older leakdiag refuses the file."},
		{"lists", "Named lists of strings, seen by conditions as lists.NAME; a later file adds items to an earlier file's list."},
		{"params", "Parameters every rule sees as params.NAME; a rule's own params and later files override them."},
		{"rules", "The rules: new ones, and overrides (override: true) of rules defined in earlier files."},
		{"owners", "Owner entries: which component and vendor an image, object name or stack module belongs to."},
	},
	"rule": {
		{"id", "The rule's stable id, like LD0001 or SITE001: 1 to 64 letters, digits, '_', '.' and '-'. Repeating an earlier id needs override: true."},
		{"title", "What the rule detects, in a few words."},
		{"scope", "process: evaluated once per process, with process and snapshot; snapshot: once per capture."},
		{"lang", "The language of when and score: cel (default) or expr."},
		{"when", "The condition: a CEL or expr expression over process.*, snapshot.*, params.* and lists.* that yields a bool. `leakdiag rules schema` lists the facts."},
		{"score", "An expression that ranks findings of equal severity, bigger first; default: the process's handle count."},
		{"severity", "info, warning or error."},
		{"message", "The finding's message: a Go template over .process, .snapshot and .params, with count and percent."},
		{"component", "Snapshot scope only: a Go template, as message, that names the component behind the finding (a driver, a pool tag's owner); empty output leaves it unnamed. A process's component is inferred from its stacks, owners and image."},
		{"remediation", "What to do next, for the person reading the report."},
		{"references", "Links that explain the problem or the fix: http or https URLs."},
		{"tags", "Free-form tags, carried into reports (SARIF tags)."},
		{"enabled", "false turns the rule off (an override's way to disable a default rule)."},
		{"override", "true: this entry changes the rule of the same id defined in an earlier file; only the keys given change."},
		{"params", "The rule's own params, over the file-level ones; an override's params merge into the rule's."},
		{"exceptions", "Structured exceptions: when all comparisons of one hold, the rule stays quiet. An override adds to the rule's."},
	},
	"exception": {
		{"name", "A name for the exception, shown by analyze --explain."},
		{"reason", "Why the rule does not apply here."},
		{"match", "A list of [fact, operator, value] comparisons, all of which must hold."},
	},
	"owner": {
		{"match", "What the owner entry matches: image, object_name and/or module globs."},
		{"component", "The component that owns what matches."},
		{"vendor", "The vendor of the component."},
		{"contact", "Who to contact: an address or a support URL."},
	},
	"owner match": {
		{"image", "A glob on the process image (case ignored), like contoso*.exe."},
		{"object_name", `A glob on handle object names, like \REGISTRY\MACHINE\SOFTWARE\Contoso\*.`},
		{"module", "A glob on the module (or module!function) of !htrace stack frames, like contosohook*."},
	},
	"suppressions file": {
		{"suppressions", "Findings a site accepts: each matched by fingerprint, or by rule and/or image glob, with a reason."},
	},
	"suppression": {
		{"fingerprint", "A finding's fingerprint from a report (v1: and 32 hex digits)."},
		{"rule", "A glob on the rule id, like LD0001 or LD000*."},
		{"image", "A glob on the suspect's image (case ignored)."},
		{"reason", "Why the finding is accepted."},
		{"expires", "YYYY-MM-DD: the suppression holds through that day (UTC), then the findings return."},
	},
}

type fileKey struct{ name, doc string }

// documentedKeys are the keys a mapping may have.
func documentedKeys(what string) []string {
	var names []string
	for _, k := range fileKeys[what] {
		names = append(names, k.name)
	}
	return names
}

func keyDoc(what, name string) string {
	for _, k := range fileKeys[what] {
		if k.name == name {
			return k.doc
		}
	}
	return ""
}

// SuppressionsSchema returns a JSON Schema (draft-07, which editors support best) of suppressions
// files (analyze --suppressions).
func SuppressionsSchema() map[string]any {
	str := func() map[string]any { return map[string]any{"type": "string"} }
	item := withDocs("suppression", map[string]any{
		"fingerprint": map[string]any{"type": "string", "pattern": fingerprintRE().String()},
		"rule":        str(), "image": str(), "reason": str(),
		"expires": map[string]any{"type": "string", "pattern": `^\d{4}-\d{2}-\d{2}$`},
	}, "reason")
	item["anyOf"] = []any{
		map[string]any{"required": []string{"fingerprint"}},
		map[string]any{"required": []string{"rule"}},
		map[string]any{"required": []string{"image"}},
	}
	root := withDocs("suppressions file", map[string]any{
		"suppressions": map[string]any{"type": "array", "items": item},
	}, "suppressions")
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	root["$id"] = SuppressionsSchemaID
	root["title"] = "leakdiag suppressions file"
	root["description"] = "Findings a site accepts, for analyze --suppressions. Generated by `leakdiag rules schema --suppressions-file`."
	return root
}

// withDocs makes an object schema of what's documented keys, no others,
// with each key's description.
func withDocs(what string, props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	for _, k := range fileKeys[what] {
		p, ok := props[k.name].(map[string]any)
		if !ok {
			p = map[string]any{}
			props[k.name] = p
		}
		p["description"] = k.doc
	}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// FileSchema returns a JSON Schema (draft-07, which editors support best) of rule files, for
// editors with the YAML language server: completion and validation of
// keys, kinds and enumerations. Conditions are only checked by leakdiag
// itself (`leakdiag rules lint`).
func FileSchema() map[string]any {
	object := withDocs
	str := func() map[string]any { return map[string]any{"type": "string"} }
	strs := func() map[string]any {
		return map[string]any{"type": "array", "items": str(), "maxItems": maxListItems}
	}
	enum := func(vals ...string) map[string]any { return map[string]any{"type": "string", "enum": vals} }
	ident := "^[A-Za-z_][A-Za-z0-9_]*$"

	var names []string
	for _, scope := range []string{ScopeProcess, ScopeSnapshot} {
		for _, f := range scalarFacts(scope) {
			if !slices.Contains(names, f) {
				names = append(names, f)
			}
		}
	}
	slices.Sort(names)
	scalar := map[string]any{"type": []string{"string", "number", "boolean"}}
	comparison := map[string]any{
		"type": "array", "minItems": 3, "maxItems": 3,
		"additionalItems": false,
		"items": []any{
			map[string]any{"description": "A fact of the rule's scope.", "enum": names},
			map[string]any{"description": "The comparison.", "enum": exceptionOps},
			map[string]any{"description": "The value (for in, a list of values).", "oneOf": []any{scalar, map[string]any{"type": "array", "items": scalar}}},
		},
	}
	params := func() map[string]any {
		return map[string]any{
			"type":          "object",
			"propertyNames": map[string]any{"pattern": ident},
			"additionalProperties": map[string]any{
				"description": "A number, a string, true/false, a list of strings, or a table of whole numbers by name.",
				"oneOf": []any{
					scalar, strs(),
					map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "integer"}},
				},
			},
		}
	}
	rule := object("rule", map[string]any{
		"id":    map[string]any{"type": "string", "pattern": IDPattern},
		"title": str(), "scope": enum(ScopeProcess, ScopeSnapshot), "lang": enum(LangCEL, LangExpr),
		"when": str(), "score": str(), "severity": enum(severity.Names...), "message": str(),
		"component": str(), "remediation": str(), "tags": strs(),
		"references": map[string]any{"type": "array", "maxItems": maxListItems,
			"items": map[string]any{"type": "string", "pattern": ReferencePattern}},
		"enabled": map[string]any{"type": "boolean"}, "override": map[string]any{"type": "boolean"},
		"params": params(),
		"exceptions": map[string]any{"type": "array", "items": object("exception", map[string]any{
			"name": str(), "reason": str(),
			"match": map[string]any{"type": "array", "minItems": 1, "items": comparison},
		}, "name", "reason", "match")},
	}, "id")
	owner := object("owner", map[string]any{
		"match":     object("owner match", map[string]any{"image": str(), "object_name": str(), "module": str()}),
		"component": str(), "vendor": str(), "contact": str(),
	}, "match")
	root := object("rule file", map[string]any{
		"requires": map[string]any{"type": []string{"string", "number"}},
		"lists":    map[string]any{"type": "object", "propertyNames": map[string]any{"pattern": ident}, "additionalProperties": strs()},
		"params":   params(),
		"rules":    map[string]any{"type": "array", "items": rule},
		"owners":   map[string]any{"type": "array", "items": owner},
	})
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	root["$id"] = FileSchemaID
	root["title"] = "leakdiag rule file"
	root["description"] = "A leakdiag rule file: lists, params, rules and owners, layered over the default rules. Generated by `leakdiag rules schema --rule-file`."
	return root
}
