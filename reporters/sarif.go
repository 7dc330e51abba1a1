package reporters

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/severity"
)

// SARIF writes the report as SARIF 2.1.0, the format code-scanning
// services (GitHub's among them) load: one run whose driver lists the rules
// that ran, and a result per finding located at the line of the suspect's
// process block, with a fingerprint that survives moved lines.
type SARIF struct {
	// Version is leakdiag's version, for tool.driver.version; empty
	// leaves it out.
	Version string
}

// SARIFSchema is the schema URI the output names.
const SARIFSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// InformationURI is where users learn about leakdiag.
const InformationURI = "https://github.com/leakdiag/leakdiag"

// The SARIF object model, as far as leakdiag fills it. Field order follows
// the specification's examples, so the output reads like other tools'.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool        `json:"tool"`
		Invocations []sarifInvoke    `json:"invocations"`
		Artifacts   []sarifArtifact  `json:"artifacts"`
		Results     []sarifResult    `json:"results"`
		Properties  *sarifProperties `json:"properties,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string          `json:"id"`
		Name                 string          `json:"name"`
		ShortDescription     sarifText       `json:"shortDescription"`
		FullDescription      sarifText       `json:"fullDescription"`
		Help                 sarifHelp       `json:"help"`
		HelpURI              string          `json:"helpUri,omitempty"`
		DefaultConfiguration sarifConfig     `json:"defaultConfiguration"`
		Properties           sarifProperties `json:"properties"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifInvoke struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
	}
	sarifNotification struct {
		Level   string          `json:"level"`
		Message sarifText       `json:"message"`
		Rule    *sarifRuleRef   `json:"associatedRule,omitempty"`
		Where   []sarifLocation `json:"locations,omitempty"`
	}
	sarifRuleRef struct {
		ID    string `json:"id"`
		Index *int   `json:"index,omitempty"`
	}
	// sarifArtifact is a file of the run. A capture leakdiag read has the
	// role analysisTarget: the artifacts list then records every capture
	// analysed, those without results too, which is more than the
	// results' locations say (and what the SARIF Multitool's SARIF2004
	// asks of an artifacts array it would otherwise call redundant).
	sarifArtifact struct {
		Location sarifArtifactLocation `json:"location"`
		Roles    []string              `json:"roles,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          sarifProperties   `json:"properties"`
	}
	sarifLocation struct {
		ID       *int                  `json:"id,omitempty"`
		Physical sarifPhysicalLocation `json:"physicalLocation"`
		Message  *sarifText            `json:"message,omitempty"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI   string `json:"uri"`
		Index *int   `json:"index,omitempty"`
	}
	sarifRegion struct {
		StartLine  int64      `json:"startLine,omitempty"`
		ByteOffset int64      `json:"byteOffset,omitempty"`
		Snippet    *sarifText `json:"snippet,omitempty"`
	}
	// sarifProperties is a property bag; leakdiag's keys are its own.
	sarifProperties map[string]any
)

// Write implements Reporter.
func (s SARIF) Write(w io.Writer, r *engine.Report) error {
	run := s.run([]*engine.Report{r}, nil)
	sarifSkipped(&run, r.Summary.Skipped)
	run.Properties = &sarifProperties{
		"processes":      r.Summary.Processes,
		"totalHandles":   r.Summary.TotalHandles,
		"findingsTotal":  r.Summary.FindingsTotal,
		"baselined":      r.Summary.Baselined,
		"suppressed":     r.Summary.Suppressed,
		"unknownCounts":  r.Summary.UnknownCounts,
		"partialTables":  r.Summary.PartialTables,
		"diagnostics":    len(r.Summary.Diagnostics),
		"schemaVersion":  engine.SchemaVersion,
		"fingerprintsBy": engine.FingerprintVersion,
	}
	return writeSARIF(w, run)
}

// WriteBatch implements BatchWriter: still one run (code scanning wants
// one per tool), with every capture an artifact and every finding a result
// located in its own capture; captures that could not be read are error
// notifications, files skipped as no captures notes.
func (s SARIF) WriteBatch(w io.Writer, b *engine.Batch) error {
	run := s.run(b.Reports, b.Failed)
	sarifSkipped(&run, b.Skipped)
	bs := b.Summary
	run.Properties = &sarifProperties{
		"captures": bs.Captures, "analysed": bs.Analysed, "failed": bs.Failed, "skipped": bs.Skipped,
		"withFindings": bs.WithFindings, "processes": bs.Processes, "totalHandles": bs.Handles,
		"baselined": bs.Baselined, "suppressed": bs.Suppressed,
		"schemaVersion": engine.SchemaVersion, "fingerprintsBy": engine.FingerprintVersion,
	}
	return writeSARIF(w, run)
}

// sarifSkipped adds a note for each file skipped as no capture: SARIF's
// notifications are where a tool says what it did not analyse.
func sarifSkipped(run *sarifRun, skipped []engine.SkippedFile) {
	inv := &run.Invocations[0]
	for _, f := range skipped {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "note", Message: sarifText{Text: "skipped: " + f.Reason},
			Where: []sarifLocation{{Physical: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: fileURI(f.Path)}}}},
		})
	}
}

func writeSARIF(w io.Writer, run sarifRun) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// run builds the one SARIF run of reports (one per capture).
func (s SARIF) run(reports []*engine.Report, failed []engine.CaptureError) sarifRun {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "leakdiag", Version: s.Version, InformationURI: InformationURI, Rules: []sarifRule{},
		}},
		Artifacts: []sarifArtifact{},
		Results:   []sarifResult{},
	}
	ruleIndex := map[string]int{}
	artifacts := map[string]int{}
	artifact := func(path string) sarifArtifactLocation {
		i, ok := artifacts[path]
		if !ok {
			i = len(run.Artifacts)
			artifacts[path] = i
			run.Artifacts = append(run.Artifacts, sarifArtifact{Location: sarifArtifactLocation{URI: fileURI(path)}})
		}
		return sarifArtifactLocation{URI: fileURI(path), Index: &i}
	}
	// A rule that failed to evaluate leaves its findings unknown, and a
	// capture that could not be read was not analysed: either way the run
	// did not do all it was asked (the CLI exits 2), which SARIF says with
	// executionSuccessful false and an error notification for each, naming
	// the rule, so that code scanning does not take the results for a
	// pass.
	inv := sarifInvoke{ExecutionSuccessful: true, ToolExecutionNotifications: []sarifNotification{}}
	for _, r := range reports {
		for _, rr := range r.Summary.Rules {
			if _, seen := ruleIndex[rr.ID]; !seen {
				ruleIndex[rr.ID] = len(run.Tool.Driver.Rules)
				run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(rr))
			}
		}
		for _, src := range r.Summary.Sources {
			loc := artifact(src.Path)
			run.Artifacts[*loc.Index].Roles = []string{"analysisTarget"}
		}
	}
	for _, r := range reports {
		for i := range r.Findings {
			run.Results = append(run.Results, sarifResultOf(&r.Findings[i], ruleIndex, artifact, r.Summary.Sources))
		}
		for _, e := range r.Errors {
			msg := "rule " + e.RuleID + " failed for " + e.Who() + ": " + e.Message
			if e.More > 0 {
				msg += " (and " + strconv.Itoa(e.More) + " more failures of this rule)"
			}
			ref := &sarifRuleRef{ID: e.RuleID}
			if i, ok := ruleIndex[e.RuleID]; ok {
				ref.Index = &i
			}
			inv.ExecutionSuccessful = false
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level: "error", Message: sarifText{Text: msg}, Rule: ref,
			})
		}
	}
	for _, f := range failed {
		inv.ExecutionSuccessful = false
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "error", Message: sarifText{Text: f.Error},
			Where: []sarifLocation{{Physical: sarifPhysicalLocation{ArtifactLocation: artifact(f.Path)}}},
		})
	}
	run.Invocations = []sarifInvoke{inv}
	return run
}

func sarifRuleOf(rr engine.RuleRef) sarifRule {
	help := rr.Title + "."
	md := "**" + rr.Title + "**"
	if rr.Remediation != "" {
		help += " " + rr.Remediation
		md += "\n\n" + rr.Remediation
	}
	for _, ref := range rr.References {
		help += "\n" + ref
		// Only a web URL becomes a link; a javascript: or data: one stays
		// text.
		if webURL(ref) {
			md += "\n\n<" + ref + ">"
		} else {
			md += "\n\n" + mdEscape(ref)
		}
	}
	full := rr.Title + " (" + rr.Scope + " rule in " + rr.Lang + ", defined at " + rr.Defined + ")."
	sr := sarifRule{
		ID: rr.ID, Name: pascal(rr.Title),
		ShortDescription:     sarifText{Text: rr.Title},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifHelp{Text: help, Markdown: md},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(rr.Severity)},
		Properties:           sarifProperties{"tags": rr.Tags},
	}
	for _, ref := range rr.References {
		if webURL(ref) {
			sr.HelpURI = ref // the first web URL: code scanning links it
			break
		}
	}
	return sr
}

func sarifResultOf(f *engine.Finding, ruleIndex map[string]int, artifact func(string) sarifArtifactLocation, sources []facts.Source) sarifResult {
	res := sarifResult{
		RuleID: f.RuleID, RuleIndex: ruleIndex[f.RuleID], Level: sarifLevel(f.Severity),
		Message:             sarifText{Text: f.Message},
		Locations:           []sarifLocation{},
		RelatedLocations:    []sarifLocation{},
		PartialFingerprints: map[string]string{"leakdiag/" + engine.FingerprintVersion: f.Fingerprint},
		Properties: sarifProperties{
			"rank": f.Rank, "score": f.Score, "component": f.Component.Name,
			"inferredFrom": f.Component.InferredFrom, "componentReason": f.Component.Reason,
		},
	}
	if f.Component.Vendor != "" {
		res.Properties["vendor"] = f.Component.Vendor
	}
	if f.Process != nil {
		res.Properties["pid"] = f.Process.PID
		res.Properties["image"] = f.Process.Image
	}
	if len(f.Evidence) > 0 {
		ev := map[string]string{}
		for _, e := range f.Evidence {
			ev[e.Name] = e.Value
		}
		res.Properties["evidence"] = ev
	}
	// The primary location is the suspect's process block; other capture
	// lines the finding rests on are related locations.
	primary := -1
	if f.Process != nil && f.Process.Source.Path != "" {
		res.Locations = append(res.Locations, sarifLoc(artifact, engine.Location{Path: f.Process.Source.Path, Line: f.Process.Source.Line, Offset: f.Process.Source.Offset, What: "the process block of " + f.Process.Image}))
		primary = 0
	}
	for _, l := range f.Locations {
		if f.Process != nil && l.Path == f.Process.Source.Path && l.Line == f.Process.Source.Line {
			continue
		}
		if primary < 0 {
			res.Locations = append(res.Locations, sarifLoc(artifact, l))
			primary = 0
			continue
		}
		loc := sarifLoc(artifact, l)
		id := len(res.RelatedLocations) + 1
		loc.ID = &id
		res.RelatedLocations = append(res.RelatedLocations, loc)
	}
	if primary < 0 && len(sources) > 0 {
		// A finding about the whole capture points at its first file.
		res.Locations = append(res.Locations, sarifLoc(artifact, engine.Location{Path: sources[0].Path, Line: 1, What: "the capture"}))
	}
	return res
}

// sarifLoc is a location in a capture: a line of a text capture (with
// its text as the snippet), or a byte offset into a binary one.
func sarifLoc(artifact func(string) sarifArtifactLocation, l engine.Location) sarifLocation {
	loc := sarifLocation{Physical: sarifPhysicalLocation{ArtifactLocation: artifact(l.Path)}}
	switch {
	case l.Line > 0:
		loc.Physical.Region = &sarifRegion{StartLine: l.Line}
		if l.Text != "" {
			loc.Physical.Region.Snippet = &sarifText{Text: l.Text}
		}
	case l.Offset > 0:
		loc.Physical.Region = &sarifRegion{ByteOffset: l.Offset}
	}
	if l.What != "" {
		loc.Message = &sarifText{Text: l.What}
	}
	return loc
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(sev severity.Level) string {
	switch sev {
	case "error":
		return "error"
	case "warning":
		return "warning"
	}
	return "note"
}

// fileURI turns a capture path into a URI reference: relative paths stay
// relative (code scanning resolves them against the checkout), absolute
// ones become file URIs, Windows drive letters included.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if len(p) >= 2 && p[1] == ':' && unicode.IsLetter(rune(p[0])) {
		p = "/" + strings.ReplaceAll(p, `\`, "/")
	} else {
		p = strings.ReplaceAll(p, `\`, "/")
	}
	u := url.URL{Path: p}
	if strings.HasPrefix(p, "/") {
		u.Scheme = "file"
		return u.String()
	}
	return u.EscapedPath()
}

// pascal turns a title into the PascalCase name SARIF rules carry.
func pascal(title string) string {
	var b strings.Builder
	up := true
	for _, r := range title {
		if r == '\'' || r == '’' {
			continue // "process's" is one word
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
