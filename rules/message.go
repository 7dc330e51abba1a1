package rules

import (
	"bytes"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/leakdiag/leakdiag/facts"
)

// compileMessage parses a rule's message template and checks it against
// facts of every kind, so a misspelled fact is a load error, not a
// message that fails when the rule fires.
func compileMessage(t text, r *Rule, errs *ErrorList) *template.Template {
	src := t.s
	if src == "" {
		src = "{{.title}}"
	}
	tmpl, err := template.New(r.ID).Funcs(messageFuncs).Option("missingkey=error").Parse(src)
	if err != nil {
		pos, msg := templatePlace(t, r.ID, err)
		errs.add(pos, r.ID, CodeTemplate, "message: %s", msg)
		return nil
	}
	cost, ok := messageBounds(t, tmpl, r, errs)
	if !ok {
		return nil
	}
	r.msgCost = cost
	// The message is given the params it reads, not a copy of all.
	used := refs{names: map[string]bool{}}
	for _, t := range tmpl.Templates() {
		u := templateRefs(t.Root)
		maps.Copy(used.names, u.names)
		used.all = used.all || u.all
	}
	r.msgParams = r.params.subset(used)
	var proc *facts.ProcessFacts
	if r.Scope == ScopeProcess {
		proc = &sampleProcess
	}
	if err := tmpl.Execute(&messageBuffer{}, messageData(r, &sampleSnapshot, proc)); err != nil {
		pos, msg := templatePlace(t, r.ID, err)
		if i := strings.Index(msg, "map has no entry for key "); i >= 0 {
			key := strings.Trim(msg[i+len("map has no entry for key "):], `"`)
			msg += suggest(key, append(append([]string{}, allFactFields...), r.params.names()...))
			if key == "process" && r.Scope == ScopeSnapshot {
				msg += " (a snapshot-scope rule has no process)"
			}
		}
		errs.add(pos, r.ID, CodeTemplate, "message: %s", msg)
		return nil
	}
	return tmpl
}

var templateErrPlace = regexp.MustCompile(`^template: [^:]*:(\d+)(?::(\d+))?: `)

// templatePlace finds where in the file a template error is: text/template
// says "template: ID:line:col: ..." about the template's own text.
func templatePlace(t text, id string, err error) (Pos, string) {
	msg := err.Error()
	m := templateErrPlace.FindStringSubmatch(msg)
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
