package rules

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"text/template"

	"github.com/leakdiag/leakdiag/facts"
)

// maxMessageBytes is the most a rule's message may be. Messages are a
// line or two for people; the output of a hostile template (nested
// ranges, printf widths) is cut here with an error instead of growing
// to gigabytes.
const maxMessageBytes = 64 << 10

// errMessageSize is the error of a message, or a string it handles, over
// maxMessageBytes.
var errMessageSize = fmt.Errorf("over the limit of %d bytes (64 KiB)", maxMessageBytes)

// messageFuncs are the functions message templates may use: leakdiag's
// own, and bounded versions of text/template's that make strings. Each
// refuses a string argument or a result over maxMessageBytes, which no
// message can show, before working on it: a loop in a message then costs
// at most a bounded amount per step.
var messageFuncs = template.FuncMap{
	// count writes a count with thousands separators: 12,345.
	"count": func(v any) (string, error) {
		switch x := v.(type) {
		case int64:
			return facts.FormatCount(x), nil
		case int:
			return facts.FormatCount(int64(x)), nil
		case float64:
			return facts.FormatCount(int64(x)), nil
		}
		return boundedSprint("count", v)
	},
	// approx writes a count that may be an estimate, with its bound:
	// approx .process.distinct_names .process.distinct_names_estimated
	// gives "48,210" when exact and "about 48,210 (estimate, ±3.3%)"
	// when not (two standard errors of the estimate, rounded up); approx
	// .process.top_name.count .process.top_name.count_error gives "45,000"
	// when exact and "at least 45,000 (estimate, up to 45,122)" when the
	// true count may be over it by up to the error.
	"approx": func(n int64, bound any) (string, error) {
		switch b := bound.(type) {
		case bool:
			return facts.CountAbout(n, b), nil
		case int64:
			return facts.CountAtLeast(n, b), nil
		}
		return "", fmt.Errorf("approx: want a bool (estimated) or an int (error bound) after the count, not %T", bound)
	},
	// plural writes a count and its noun, the noun in the plural but for
	// one: plural .snapshot.process_count "process" gives "1 process" or
	// "2,048 processes" (facts.PluralCount).
	"plural": func(n any, noun string) (string, error) {
		if len(noun) > maxMessageBytes {
			return "", fmt.Errorf("plural of a noun of %d bytes: %w", len(noun), errMessageSize)
		}
		switch x := n.(type) {
		case int64:
			return facts.PluralCount(x, noun), nil
		case int:
			return facts.PluralCount(int64(x), noun), nil
		}
		return "", fmt.Errorf("plural: want a count before the noun, not %T", n)
	},
	// percent writes a share as a whole percentage (0.914 is 91%), but
	// a part never as all or nothing (facts.FormatShare).
	"percent": facts.FormatShare,
	"lower": func(s string) (string, error) {
		if len(s) > maxMessageBytes {
			return "", fmt.Errorf("lower of a string of %d bytes: %w", len(s), errMessageSize)
		}
		return strings.ToLower(s), nil
	},
	// ratio divides two counts: ratio .process.dominant_count .process.handles.
	"ratio": func(a, b int64) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	},
	// rate writes a slope per hour in the unit of the span it was measured
	// over (facts.RateUnit): "2,500 per hour", "40 per minute", or "170 per
	// capture" for captures seconds apart or whose times are unknown (timed
	// false: the slope is per capture already):
	// rate .process.growth_per_hour .process.growth_hours .process.growth_timed .process.growth_points.
	"rate": func(perHour, hours float64, timed bool, points int64) string {
		unit, factor := facts.RateUnit(hours, int(points))
		if !timed {
			unit, factor = "capture", 1
		}
		word := map[string]string{"h": "hour", "min": "minute", "capture": "capture"}[unit]
		return facts.FormatCount(int64(perHour*factor)) + " per " + word
	},
	"print":   func(args ...any) (string, error) { return boundedSprint("print", args...) },
	"println": func(args ...any) (string, error) { return bounded("println", fmt.Sprintln, args...) },
	"printf": func(format string, args ...any) (string, error) {
		if err := checkFormat(format); err != nil {
			return "", err
		}
		return bounded("printf", func(a ...any) string { return fmt.Sprintf(format, a...) }, args...)
	},
	"html": func(args ...any) (string, error) {
		return bounded("html", func(a ...any) string { return template.HTMLEscapeString(sprintArgs(a)) }, args...)
	},
	"js": func(args ...any) (string, error) {
		return bounded("js", func(a ...any) string { return template.JSEscapeString(sprintArgs(a)) }, args...)
	},
	"urlquery": func(args ...any) (string, error) {
		return bounded("urlquery", func(a ...any) string { return url.QueryEscape(sprintArgs(a)) }, args...)
	},
}

func boundedSprint(name string, args ...any) (string, error) {
	return bounded(name, fmt.Sprint, args...)
}

// bounded calls f on args unless a string argument is over
// maxMessageBytes, and refuses a result over it.
func bounded(name string, f func(...any) string, args ...any) (string, error) {
	for _, a := range args {
		if s, ok := a.(string); ok && len(s) > maxMessageBytes {
			return "", fmt.Errorf("%s of a string of %d bytes: %w", name, len(s), errMessageSize)
		}
	}
	out := f(args...)
	if len(out) > maxMessageBytes {
		return "", fmt.Errorf("%s makes %d bytes: %w", name, len(out), errMessageSize)
	}
	return out, nil
}

// sprintArgs joins arguments as text/template's html, js and urlquery do.
func sprintArgs(args []any) string {
	if len(args) == 1 {
		if s, ok := args[0].(string); ok {
			return s
		}
	}
	return fmt.Sprint(args...)
}

// checkFormat refuses a printf format whose widths or precisions could
// pad a message past maxMessageBytes ("%0999999d"), or that takes them
// from the arguments ("%*d").
func checkFormat(format string) error {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		n := 0
	verb:
		for i++; i < len(format); i++ {
			c := format[i]
			switch {
			case c == '*':
				return errors.New("printf: widths from arguments (*) are not allowed in messages")
			case c >= '0' && c <= '9':
				n = min(n*10+int(c-'0'), maxMessageBytes+1)
				if n > maxMessageBytes {
					return fmt.Errorf("printf: a width or precision %w", errMessageSize)
				}
				continue
			case c == '.' || c == '-' || c == '+' || c == '#' || c == ' ' || c == '[' || c == ']':
				n = 0
				continue
			}
			break verb
		}
	}
	return nil
}
