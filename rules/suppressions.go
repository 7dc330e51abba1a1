package rules

import (
	"regexp"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// Suppression is one entry of a suppressions file: a finding a site has
// looked at and accepts, for a reason and possibly until a date.
//
//	suppressions:
//	  - fingerprint: v1:0123456789abcdef0123456789abcdef
//	    reason: STORE.EXE on this cluster holds 180k handles by design (case 4711)
//	  - rule: LD0001
//	    image: 'backup*.exe'
//	    reason: nightly backup, handles drop when it ends
//	    expires: 2027-03-31
//
// An entry matches by fingerprint, or by rule and/or image globs (case
// folded, as images are). Expires is a date: the entry holds through that
// day (UTC) and the finding returns after it.
type Suppression struct {
	Pos         Pos
	Fingerprint string
	Rule        *Pattern
	Image       *Pattern
	// RuleGlob and ImageGlob are the patterns as written, for reports.
	RuleGlob, ImageGlob string
	Reason              string
	// Expires is the first moment the entry no longer holds (the start of
	// the day after the date written); zero: never.
	Expires time.Time
}

// Active reports whether the entry holds at now.
func (s *Suppression) Active(now time.Time) bool {
	return s.Expires.IsZero() || now.Before(s.Expires)
}

var fingerprintRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v[0-9]+:[0-9a-f]{32}$`) })

// LoadSuppressions decodes a suppressions file, reporting every problem with
// its position (an ErrorList), like rule files.
func LoadSuppressions(path string, src []byte) ([]*Suppression, error) {
	var errs ErrorList
	f := newRuleFile(path, src)
	var out []*Suppression
	if doc, ok := parseYAML(f, &errs); ok && len(doc.Content) > 0 {
		d := &decoder{f: f, errs: &errs}
		d.mapping(doc.Content[0], "", map[string]func(k, v *yaml.Node){
			"suppressions": func(_, v *yaml.Node) { out = d.suppressions(v) },
		}, "suppressions file")
	}
	errs.sort()
	for _, e := range errs {
		e.Snippet = snippet(f.lines, e.Pos.Line, e.Pos.Col)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func (d *decoder) suppressions(v *yaml.Node) []*Suppression {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "", CodeYAML, "suppressions must be a list, not %s", kindName(v))
		return nil
	}
	if !d.checkItems(v, "") {
		return nil // every finding is tried against every entry
	}
	var out []*Suppression
	for _, n := range v.Content {
		s := &Suppression{Pos: d.pos(n)}
		d.badPattern = false
		bad := false
		d.mapping(n, "", map[string]func(k, v *yaml.Node){
			"fingerprint": func(_, v *yaml.Node) {
				s.Fingerprint = d.str(v, "")
				if !fingerprintRE().MatchString(s.Fingerprint) {
					d.errorf(v, "", CodeBadValue, "fingerprint %q is not one leakdiag writes (v1: and 32 hex digits)", s.Fingerprint)
					bad = true
				}
			},
			"rule":   func(_, v *yaml.Node) { s.Rule, s.RuleGlob = d.pattern(v), v.Value },
			"image":  func(_, v *yaml.Node) { s.Image, s.ImageGlob = d.pattern(v), v.Value },
			"reason": func(_, v *yaml.Node) { s.Reason = d.str(v, "") },
			"expires": func(_, v *yaml.Node) {
				t, err := time.Parse(time.DateOnly, d.str(v, ""))
				if err != nil {
					d.errorf(v, "", CodeBadValue, "expires %q is not a date (YYYY-MM-DD)", v.Value)
					bad = true
					return
				}
				s.Expires = t.AddDate(0, 0, 1)
			},
		}, "suppression")
		switch {
		case n.Kind != yaml.MappingNode, d.badPattern, bad:
			// already reported
		case s.Fingerprint == "" && s.Rule == nil && s.Image == nil:
			d.errorf(n, "", CodeMissing, "a suppression needs a fingerprint, or a rule and/or image glob")
		case s.Fingerprint != "" && (s.Rule != nil || s.Image != nil):
			d.errorf(n, "", CodeBadValue, "a suppression matches by fingerprint or by rule/image, not both")
		case s.Reason == "":
			d.errorf(n, "", CodeMissing, "a suppression needs a reason: say why the finding is accepted")
		default:
			out = append(out, s)
		}
	}
	return out
}
