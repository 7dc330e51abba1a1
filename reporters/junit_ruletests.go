package reporters

import (
	"encoding/xml"
	"io"
	"strings"
)

// RuleTestCase is how one case of `leakdiag rules test` came out, as the
// JUnit report of rule tests needs it. The CLI fills it from the rule
// test runner's results, so reporters need not import the runner (and
// the capture readers it uses).
type RuleTestCase struct {
	// File and Line are where the case is written; Name is its name.
	File string
	Line int
	Name string
	// Rules are the rules the case checks.
	Rules []string
	// Passed says the findings were as expected; Diff shows expected
	// against got when they were not.
	Passed bool
	Diff   string
	// Err is a case that could not run (a capture that cannot be read).
	Err error
}

type junitRuleTests struct {
	XMLName  xml.Name        `xml:"testsuites"`
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Suites   []junitRuleFile `xml:"testsuite"`
}

type junitRuleFile struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Cases    []junitRuleCase `xml:"testcase"`
}

type junitRuleCase struct {
	Name      string          `xml:"name,attr"`
	Classname string          `xml:"classname,attr"`
	File      string          `xml:"file,attr"`
	Line      int             `xml:"line,attr"`
	Failure   *junitRuleIssue `xml:"failure"`
	Error     *junitRuleIssue `xml:"error"`
}

type junitRuleIssue struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// RuleTestsJUnit writes the results of rule tests as JUnit XML: a suite
// per test file, a case per test case, a failure for a case whose
// findings differ, an error for one that could not run.
func RuleTestsJUnit(w io.Writer, cases []RuleTestCase) error {
	doc := junitRuleTests{Name: "leakdiag rules test"}
	index := map[string]int{}
	for _, r := range cases {
		i, ok := index[r.File]
		if !ok {
			i = len(doc.Suites)
			index[r.File] = i
			doc.Suites = append(doc.Suites, junitRuleFile{Name: r.File})
		}
		s := &doc.Suites[i]
		c := junitRuleCase{Name: r.Name, Classname: "leakdiag.rules." + strings.TrimSuffix(strings.ReplaceAll(r.File, "/", "."), ".yaml"), File: r.File, Line: r.Line}
		switch {
		case r.Err != nil:
			c.Error = &junitRuleIssue{Message: r.Err.Error()}
			s.Errors++
			doc.Errors++
		case !r.Passed:
			c.Failure = &junitRuleIssue{Message: "findings of " + strings.Join(r.Rules, ", ") + " differ", Text: r.Diff}
			s.Failures++
			doc.Failures++
		}
		s.Tests++
		doc.Tests++
		s.Cases = append(s.Cases, c)
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append([]byte(xml.Header), append(b, '\n')...))
	return err
}
