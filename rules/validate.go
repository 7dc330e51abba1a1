package rules

import (
	"errors"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// A rule id is 1 to 64 of these characters. Ids reach terminals, file
// names, SARIF and HTML: an id with an escape sequence, a newline or
// markup could rewrite what a report shows, so the pattern admits nothing
// that needs quoting anywhere.
const (
	IDPattern = `^[A-Za-z0-9_.-]{1,64}$`
	maxIDLen  = 64
)

// ValidID reports whether s is a valid rule id (IDPattern). It checks by
// hand what the pattern says: its bounded repetition, compiled at every
// start, was the largest part of the package's init (GODEBUG=inittrace=1);
// TestValidIDIsThePattern keeps the two the same.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > maxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
		default:
			return false
		}
	}
	return true
}

// ReferencePattern is what the JSON Schema checks of references; the
// loader checks more (a host, and what net/url accepts).
const ReferencePattern = `^[Hh][Tt][Tt][Pp][Ss]?://[^\s]+$`

// checkID reports an id that is not 1 to 64 letters, digits, '_', '.' and
// '-'. An empty id is reported as missing elsewhere.
func (d *decoder) checkID(v *yaml.Node) {
	if v.Kind != yaml.ScalarNode || v.Value == "" || ValidID(v.Value) {
		return
	}
	why := "letters, digits, '_', '.' and '-' only"
	if len(v.Value) > maxIDLen {
		why = "at most 64 characters"
	}
	d.errorf(v, "", CodeBadValue, "rule id %q is not a valid id (%s): ids match %s", v.Value, why, IDPattern)
}

// references decodes a rule's references: each an http or https URL with
// a host. Reports make them links (SARIF helpUri, HTML), where
// javascript:, data: or file: would run or read something on the reader's
// machine.
func (d *decoder) references(v *yaml.Node, ruleID string) []string {
	refs := d.strings(v, ruleID)
	if v.Kind != yaml.SequenceNode {
		return refs
	}
	var out []string
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			continue // reported by strings
		}
		if msg := badReference(item.Value); msg != "" {
			d.errorf(item, ruleID, CodeBadValue, "reference %q %s", item.Value, msg)
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

// badReference says what is wrong with a reference URL, or "".
func badReference(s string) string {
	u, err := url.Parse(s)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // without the URL again
	}
	switch {
	case err != nil:
		return "is not a URL: " + err.Error()
	case u.Scheme == "":
		return "is not an absolute URL: references are http or https URLs"
	case !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https"):
		return "is not an http or https URL: a " + u.Scheme + ": link in a report could run or read something on the reader's machine"
	case u.Host == "":
		return "has no host"
	}
	return ""
}
