package rules

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/facts"
)

// compileMessage parses a rule's message template and checks it against
// facts of every kind, so a misspelled fact is a load error, not a
// message that fails when the rule fires. It returns the params the
// message reads.
func compileMessage(t text, r *Rule, errs *ErrorList) (*template.Template, refs) {
	if t.s == "" {
		t.s = "{{.title}}"
	}
	return compileTemplate("message", t, r, errs)
}

// compileComponent parses and checks the template that names a
// snapshot-scope rule's component, as compileMessage its message.
func compileComponent(t text, r *Rule, errs *ErrorList) (*template.Template, refs) {
	return compileTemplate("component", t, r, errs)
}

// compileTemplate parses the template of the rule's key (message,
// component), bounds its cost (added to r.msgCost) and runs it on zero
// facts. It returns the params it reads.
func compileTemplate(key string, t text, r *Rule, errs *ErrorList) (*template.Template, refs) {
	used := refs{names: map[string]bool{}}
	tmpl, err := template.New(r.ID).Funcs(messageFuncs).Option("missingkey=error").Parse(t.s)
	if err != nil {
		pos, msg := templatePlace(t, r.ID, err)
		errs.add(pos, r.ID, CodeTemplate, "%s: %s", key, msg)
		return nil, used
	}
	cost, ok := messageBounds(key, t, tmpl, r, errs)
	if !ok {
		return nil, used
	}
	r.msgCost += cost
	for _, t := range tmpl.Templates() {
		u := templateRefs(t.Root)
		maps.Copy(used.names, u.names)
		used.all = used.all || u.all
	}
	var proc *facts.ProcessFacts
	if r.Scope == ScopeProcess {
		proc = sampleProcess()
	}
	// Run with every param, as the params the rule's templates read
	// are known only once all are parsed.
	sample := messageData(r, &sampleSnapshot, proc)
	sample["params"] = r.params.subset(used)
	if err := tmpl.Execute(&messageBuffer{}, sample); err != nil {
		pos, msg := templatePlace(t, r.ID, err)
		if i := strings.Index(msg, "map has no entry for key "); i >= 0 {
			k := strings.Trim(msg[i+len("map has no entry for key "):], `"`)
			msg += suggest(k, append(append([]string{}, allFactFields()...), r.params.names()...))
			if k == "process" && r.Scope == ScopeSnapshot {
				msg += " (a snapshot-scope rule has no process)"
			}
		}
		errs.add(pos, r.ID, CodeTemplate, "%s: %s", key, msg)
		return nil, used
	}
	return tmpl, used
}

var templateErrPlace = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^template: [^:]*:(\d+)(?::(\d+))?: `) })

// templatePlace finds where in the file a template error is: text/template
// says "template: ID:line:col: ..." about the template's own text.
func templatePlace(t text, id string, err error) (Pos, string) {
	msg := err.Error()
	m := templateErrPlace().FindStringSubmatch(msg)
	if m == nil {
		return t.at(1, 1), strings.TrimPrefix(msg, "template: ")
	}
	line, _ := strconv.Atoi(m[1])
	col := 1
	if m[2] != "" {
		c, _ := strconv.Atoi(m[2])
		col = templateColumn(t.s, line, c)
	}
	return t.at(line, col), msg[len(m[0]):]
}

// templateColumn turns text/template's column, a byte offset from 0 into
// the line, into a character column from 1.
func templateColumn(s string, line, byteCol int) int {
	l := lineOf(s, line)
	if byteCol > len(l) {
		byteCol = len(l)
	}
	return utf8.RuneCountInString(l[:byteCol]) + 1
}

// messageData is what a message template sees.
func messageData(r *Rule, snap *facts.SnapshotFacts, proc *facts.ProcessFacts) map[string]any {
	data := map[string]any{"snapshot": factMap(snap), "params": r.msgParams, "title": r.Title, "id": r.ID}
	if proc != nil {
		data["process"] = factMap(proc)
	}
	return data
}

// RenderComponent names the component behind a snapshot-scope finding
// by the rule's component template: "" when the rule has none or its
// output is empty (the facts do not name one).
func (r *Rule) RenderComponent(snap *facts.SnapshotFacts) (string, error) {
	if r.comp == nil {
		return "", nil
	}
	var b messageBuffer
	if err := r.comp.Execute(&b, messageData(r, snap, nil)); err != nil {
		return "", r.evalError("component", err)
	}
	name := strings.Join(strings.Fields(b.String()), " ")
	if len(name) > maxComponentBytes {
		cut := maxComponentBytes
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut] + "..."
	}
	return name, nil
}

// maxComponentBytes bounds a component's name: a name, not a message (a
// driver's file name from a capture is at most a few dozen bytes).
const maxComponentBytes = 256

// Render writes the rule's message for a finding.
func (r *Rule) Render(snap *facts.SnapshotFacts, proc *facts.ProcessFacts) (string, error) {
	if r.msg == nil {
		return r.Title, nil
	}
	var b messageBuffer
	if err := r.msg.Execute(&b, messageData(r, snap, proc)); err != nil {
		return "", r.evalError("message", err)
	}
	return strings.TrimSpace(b.String()), nil
}

// messageBuffer holds a message as it is written, up to maxMessageBytes:
// a write past that is an error, which stops the template.
type messageBuffer struct{ bytes.Buffer }

func (b *messageBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > maxMessageBytes {
		return 0, fmt.Errorf("the message is %w", errMessageSize)
	}
	return b.Buffer.Write(p)
}
