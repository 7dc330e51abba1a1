package rules

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ruleFile is a rule file as written, before layering and compilation.
type ruleFile struct {
	path   string
	src    []byte
	lines  *lines
	lists  []listDef
	params []paramDef
	rules  []*ruleDef
	owners []*Owner
}

// listDef adds items to a named list.
type listDef struct {
	name  string
	items []string
	pos   Pos
}

// paramDef is a parameter and its value, in a file's or a rule's params.
type paramDef struct {
	name  string
	value any // int64, float64, string, bool, []string or map[string]int64
	pos   Pos
}

// ruleDef is a rule as one file writes it; an override sets only some
// fields, recorded in set.
type ruleDef struct {
	id          string
	title       string
	scope       string
	lang        string
	when        text
	score       text
	severity    string
	message     text
	component   text
	remediation string
	references  []string
	tags        []string
	enabled     bool
	override    bool
	params      []paramDef
	exceptions  []*Exception
	pos         Pos
	set         map[string]Pos
	// malformed holds the keys whose value was reported as the wrong kind.
	malformed map[string]bool
}

// text is a string from the file with where each of its characters is
// written there.
type text struct {
	s   string
	pos Pos
	// chars holds the file position of each character of s, or is nil
	// when the file did not align with the value.
	chars []Pos
}

// at maps a line and column (both from 1, in characters) inside the text
// to the file.
func (t text) at(line, col int) Pos {
	if i := runeIndex(t.s, line, col); i >= 0 && i < len(t.chars) {
		return t.chars[i]
	}
	if i := runeIndex(t.s, line, col); i >= 0 && i == len(t.chars) && i > 0 {
		p := t.chars[i-1] // just past the end: where the text stops
		p.Col++
		return p
	}
	return t.pos
}

// decoder walks a rule file's YAML nodes, collecting every problem.
type decoder struct {
	f    *ruleFile
	errs *ErrorList
	// badPattern is set when an owner's pattern was reported.
	badPattern bool
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.f.path, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, ruleID, code, format string, args ...any) {
	d.errs.add(d.pos(n), ruleID, code, format, args...)
}

func newRuleFile(path string, src []byte) *ruleFile {
	return &ruleFile{path: path, src: src, lines: newLines(src)}
}

// parseFile decodes one rule file strictly: unknown keys and values of the
// wrong kind are errors, all of them reported.
func parseFile(path string, src []byte, errs *ErrorList) *ruleFile {
	f := newRuleFile(path, src)
	doc, ok := parseYAML(f, errs)
	if !ok {
		return f
	}
	if len(doc.Content) == 0 {
		return f // an empty file adds nothing
	}
	d := &decoder{f: f, errs: errs}
	root := doc.Content[0]
	d.mapping(root, "", map[string]func(k, v *yaml.Node){
		"lists":    d.lists,
		"params":   func(_, v *yaml.Node) { f.params = d.params(v, "") },
		"rules":    d.rules,
		"owners":   d.owners,
		"requires": d.requires,
	}, "rule file")
	return f
}

// parseYAML parses f's source, reporting a YAML error at the line (and,
// for tabs, the column) where it is rather than where the library says.
func parseYAML(f *ruleFile, errs *ErrorList) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(f.src, &doc); err != nil {
		line := 1
		msg := err.Error()
		col := 1
		if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
			fmt.Sscanf(te.Errors[0], "line %d", &line)
		} else if _, serr := fmt.Sscanf(msg, "yaml: line %d", &line); serr != nil {
			// A character the reader refuses: the library gives no line.
			if off := badChar(f.src); off >= 0 {
				line, col = f.lines.posOf(off)
				msg = fmt.Sprintf("%s (byte %#02x at offset %d)", msg, f.src[off], off)
			}
		}
		if strings.Contains(msg, "tab character") {
			// The library names the line of the enclosing block; the tab
			// is at the start of a later one.
			for i := line - 1; i < f.lines.count(); i++ {
				if l := f.lines.line(i + 1); strings.HasPrefix(strings.TrimLeft(l, " "), "\t") {
					col = len(l) - len(strings.TrimLeft(l, " ")) + 1
					msg = strings.Replace(msg, fmt.Sprintf("line %d:", line), fmt.Sprintf("line %d:", i+1), 1)
					line = i + 1
					break
				}
			}
		}
		errs.add(Pos{File: f.path, Line: line, Col: col}, "", CodeYAML, "%s", msg)
		return nil, false
	}
	return &doc, true
}

// mapping checks n is a mapping and hands each key to its handler. The
// keys a mapping may have are fileKeys[what]: what the JSON Schema of
// rule files documents is what the decoder accepts.
func (d *decoder) mapping(n *yaml.Node, ruleID string, keys map[string]func(k, v *yaml.Node), what string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, ruleID, CodeYAML, "a %s must be a mapping, not %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		h, ok := keys[k.Value]
		switch {
		case keyDoc(what, k.Value) == "":
			d.errorf(k, ruleID, CodeUnknownKey, "unknown key %q in %s%s", k.Value, what, suggest(k.Value, documentedKeys(what)))
		case !ok:
			d.errorf(k, ruleID, CodeUnknownKey, "key %q in %s is documented but this leakdiag cannot read it (a bug: please report it)", k.Value, what)
		case seen[k.Value]:
			d.errorf(k, ruleID, CodeYAML, "key %q given twice", k.Value)
		default:
			seen[k.Value] = true
			h(k, v)
		}
	}
}

func kindName(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return "an empty value"
	}
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func (d *decoder) lists(_, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		d.errorf(v, "", CodeYAML, "lists must be a mapping of names to lists, not %s", kindName(v))
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, items := v.Content[i], v.Content[i+1]
		if !isIdent(k.Value) {
			d.errorf(k, "", CodeBadValue, "list name %q is not an identifier (letters, digits, _)", k.Value)
			continue
		}
		d.f.lists = append(d.f.lists, listDef{name: k.Value, items: d.strings(items, ""), pos: d.pos(k)})
	}
}

// params decodes a mapping of parameter names to scalar or list values.
func (d *decoder) params(v *yaml.Node, ruleID string) []paramDef {
	if v.Kind != yaml.MappingNode {
		d.errorf(v, ruleID, CodeYAML, "params must be a mapping of names to values, not %s", kindName(v))
		return nil
	}
	var out []paramDef
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if seen[k.Value] {
			d.errorf(k, ruleID, CodeYAML, "param %q given twice", k.Value)
			continue
		}
		seen[k.Value] = true
		if !isIdent(k.Value) {
			d.errorf(k, ruleID, CodeBadValue, "param name %q is not an identifier (letters, digits, _)", k.Value)
			continue
		}
		value, ok := d.paramValue(val, ruleID)
		if ok {
			out = append(out, paramDef{name: k.Value, value: value, pos: d.pos(k)})
		}
	}
	return out
}

func (d *decoder) paramValue(v *yaml.Node, ruleID string) (any, bool) {
	switch v.Kind {
	case yaml.SequenceNode:
		return d.strings(v, ruleID), true
	case yaml.MappingNode:
		// A table of whole numbers by name: per-image thresholds.
		if !d.checkItems(v, ruleID) {
			return nil, false
		}
		m := map[string]int64{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], v.Content[i+1]
			n, err := strconv.ParseInt(val.Value, 0, 64)
			if val.Kind != yaml.ScalarNode || val.Tag != "!!int" || err != nil {
				d.errorf(val, ruleID, CodeBadValue, "a table param maps names to whole numbers, not %s", kindName(val))
				return nil, false
			}
			if !d.checkString(k, ruleID) {
				return nil, false
			}
			m[k.Value] = n
		}
		return m, true
	case yaml.ScalarNode:
		switch v.Tag {
		case "!!int":
			n, err := strconv.ParseInt(v.Value, 0, 64)
			if err == nil {
				return n, true
			}
		case "!!float":
			x, err := strconv.ParseFloat(v.Value, 64)
			if err == nil {
				return x, true
			}
		case "!!bool":
			return v.Value == "true", true
		case "!!str":
			return v.Value, d.checkString(v, ruleID)
		}
	}
	d.errorf(v, ruleID, CodeBadValue, "a param must be a number, a string, true/false, a list of strings or a table of whole numbers, not %s", kindName(v))
	return nil, false
}

// strings decodes a list of strings.
func (d *decoder) strings(v *yaml.Node, ruleID string) []string {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, ruleID, CodeBadValue, "expected a list of strings, not %s", kindName(v))
		return nil
	}
	if !d.checkItems(v, ruleID) {
		return nil
	}
	out := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			d.errorf(item, ruleID, CodeBadValue, "expected a string, not %s", kindName(item))
			continue
		}
		if d.checkString(item, ruleID) {
			out = append(out, item.Value)
		}
	}
	return out
}

// str decodes a scalar string.
func (d *decoder) str(v *yaml.Node, ruleID string) string {
	if v.Kind != yaml.ScalarNode {
		d.errorf(v, ruleID, CodeBadValue, "expected a string, not %s", kindName(v))
		return ""
	}
	if !d.checkString(v, ruleID) {
		return ""
	}
	return v.Value
}

// textOf decodes a scalar string with where each character is written.
func (d *decoder) textOf(v *yaml.Node, ruleID string) text {
	t := text{s: d.str(v, ruleID), pos: d.pos(v)}
	if v.Kind == yaml.ScalarNode {
		t.chars = scalarPositions(d.f, v)
	}
	return t
}

func (d *decoder) boolean(v *yaml.Node, ruleID string) bool {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		d.errorf(v, ruleID, CodeBadValue, "expected true or false, not %s", kindName(v))
		return false
	}
	return v.Value == "true"
}

func (d *decoder) rules(_, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "", CodeYAML, "rules must be a list, not %s", kindName(v))
		return
	}
	for _, n := range v.Content {
		d.f.rules = append(d.f.rules, d.rule(n))
	}
}

func (d *decoder) rule(n *yaml.Node) *ruleDef {
	r := &ruleDef{pos: d.pos(n), enabled: true, set: map[string]Pos{}, malformed: map[string]bool{}}
	// The id first, so every other error can name the rule.
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "id" {
				r.id = d.str(n.Content[i+1], "")
			}
		}
	}
	id := r.id
	// Each key is recorded at its value, where problems with it are shown.
	var mark func(k *yaml.Node)
	values := map[*yaml.Node]*yaml.Node{}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			values[n.Content[i]] = n.Content[i+1]
		}
	}
	mark = func(k *yaml.Node) {
		if v := values[k]; v != nil {
			r.set[k.Value] = d.pos(v)
			if v.Kind != yaml.ScalarNode {
				r.malformed[k.Value] = true
			}
		} else {
			r.set[k.Value] = d.pos(k)
		}
	}
	d.mapping(n, id, map[string]func(k, v *yaml.Node){
		"id":          func(k, v *yaml.Node) { mark(k); d.checkID(v) },
		"title":       func(k, v *yaml.Node) { mark(k); r.title = d.str(v, id) },
		"scope":       func(k, v *yaml.Node) { mark(k); r.scope = d.str(v, id) },
		"lang":        func(k, v *yaml.Node) { mark(k); r.lang = d.str(v, id) },
		"when":        func(k, v *yaml.Node) { mark(k); r.when = d.textOf(v, id) },
		"score":       func(k, v *yaml.Node) { mark(k); r.score = d.textOf(v, id) },
		"severity":    func(k, v *yaml.Node) { mark(k); r.severity = d.str(v, id) },
		"message":     func(k, v *yaml.Node) { mark(k); r.message = d.textOf(v, id) },
		"component":   func(k, v *yaml.Node) { mark(k); r.component = d.textOf(v, id) },
		"remediation": func(k, v *yaml.Node) { mark(k); r.remediation = d.str(v, id) },
		"references":  func(k, v *yaml.Node) { mark(k); r.references = d.references(v, id) },
		"tags":        func(k, v *yaml.Node) { mark(k); r.tags = d.strings(v, id) },
		"enabled":     func(k, v *yaml.Node) { mark(k); r.enabled = d.boolean(v, id) },
		"override":    func(k, v *yaml.Node) { mark(k); r.override = d.boolean(v, id) },
		"params":      func(k, v *yaml.Node) { mark(k); r.params = d.params(v, id) },
		"exceptions":  func(k, v *yaml.Node) { mark(k); r.exceptions = d.exceptions(v, id) },
	}, "rule")
	if n.Kind == yaml.MappingNode && r.id == "" {
		d.errorf(n, "", CodeMissing, "a rule needs an id")
	}
	return r
}

func (d *decoder) owners(_, v *yaml.Node) {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "", CodeYAML, "owners must be a list, not %s", kindName(v))
		return
	}
	for _, n := range v.Content {
		o := &Owner{Pos: d.pos(n)}
		d.badPattern = false
		d.mapping(n, "", map[string]func(k, v *yaml.Node){
			"match": func(_, v *yaml.Node) {
				d.mapping(v, "", map[string]func(k, v *yaml.Node){
					"image":       func(k, v *yaml.Node) { o.Image = d.pattern(v) },
					"object_name": func(k, v *yaml.Node) { o.ObjectName = d.pattern(v) },
					"module":      func(k, v *yaml.Node) { o.Module = d.pattern(v) },
				}, "owner match")
			},
			"component": func(_, v *yaml.Node) { o.Component = d.str(v, "") },
			"vendor":    func(_, v *yaml.Node) { o.Vendor = d.str(v, "") },
			"contact":   func(_, v *yaml.Node) { o.Contact = d.str(v, "") },
		}, "owner")
		o.frame = compileFrame(o.Module)
		switch {
		case n.Kind != yaml.MappingNode, d.badPattern:
			// already reported: a pattern that did not read
		case o.Image == nil && o.ObjectName == nil && o.Module == nil:
			d.errorf(n, "", CodeMissing, "an owner needs a match on image, object_name or module")
		case o.Component == "" && o.Vendor == "":
			d.errorf(n, "", CodeMissing, "an owner needs a component or a vendor")
		default:
			d.f.owners = append(d.f.owners, o)
		}
	}
}

func (d *decoder) pattern(v *yaml.Node) *Pattern {
	if v.Kind != yaml.ScalarNode {
		d.errorf(v, "", CodeBadPattern, "a pattern is one glob string, not %s", kindName(v))
		d.badPattern = true
		return nil
	}
	p, err := compilePattern(v.Value)
	if err != nil {
		d.errorf(v, "", CodeBadPattern, "%v", err)
		d.badPattern = true
		return nil
	}
	return p
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
