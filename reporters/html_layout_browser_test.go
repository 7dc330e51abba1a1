package reporters_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/reporters"
)

// findChromium is the browser the layout tests use, or a skip.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on this machine (apt-get install -y chromium); .ci/run installs it")
	return ""
}

// dumpDOM renders page in headless Chromium and returns the DOM after its
// scripts ran.
func dumpDOM(t *testing.T, browser, page string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir=" + filepath.Join(dir, "profile"), "--hide-scrollbars"}
	cmd := exec.CommandContext(ctx, browser, append(append(base, args...), "--dump-dom", "file://"+file)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, errOut.String())
	}
	return out.String()
}

// lineProbe is appended to a copy of a page (its Content-Security-Policy,
// which forbids scripts, taken out): it records, for each file:line cell,
// the text of each line the browser laid it out on.
const lineProbe = `<script>
const cells = [];
for (const el of document.querySelectorAll("td.loc code, code.loc")) {
  const lines = [];
  let cur = "", top = null;
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const r = document.createRange();
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    for (let i = 0; i < n.length; i++) {
      r.setStart(n, i); r.setEnd(n, i + 1);
      const y = r.getBoundingClientRect().top;
      if (top !== null && y > top + 2) { lines.push(cur); cur = ""; }
      top = y; cur += n.data[i];
    }
  }
  lines.push(cur);
  cells.push(lines);
}
document.body.setAttribute("data-lines", JSON.stringify(cells));
</script>`

// TestHTMLLayoutInBrowser: in a real browser at a narrow width, a
// file:line cell holding a long path breaks only after a path separator,
// never inside a file name or its line number; batch and series pages
// render their index, sections and growth chart.
func TestHTMLLayoutInBrowser(t *testing.T) {
	browser := findChromium(t)
	rep := fixedReport(t)
	long := "cases/2026-11-27/FILESRV01-nightly-soak/second-attempt/kd-capture-after-restart.txt"
	for i := range rep.Findings {
		for j := range rep.Findings[i].Locations {
			rep.Findings[i].Locations[j].Path = long
		}
	}
	var buf bytes.Buffer
	if err := (reporters.HTML{}).Write(&buf, rep); err != nil {
		t.Fatal(err)
	}
	page := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>`).ReplaceAllString(buf.String(), "")
	page = strings.Replace(page, "</body>", lineProbe+"</body>", 1)
	dom := dumpDOM(t, browser, page, "--window-size=700,900")
	m := regexp.MustCompile(`data-lines="([^"]*)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the probe did not run:\n%.3000s", dom)
	}
	var cells [][]string
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &cells); err != nil {
		t.Fatal(err)
	}
	wrapped := 0
	for _, lines := range cells {
		if len(lines) > 1 {
			wrapped++
		}
		for i, l := range lines[:len(lines)-1] {
			if !strings.HasSuffix(l, "/") && !strings.HasSuffix(l, `\`) && !strings.HasSuffix(l, " ") {
				t.Errorf("a file:line cell breaks inside a word: line %d is %q (%q)", i+1, l, lines)
			}
		}
	}
	if wrapped == 0 {
		t.Errorf("no file:line cell wrapped at 700 pixels; the test shows nothing (%d cells)", len(cells))
	}

	batch := string(writeBatch(t, reporters.HTML{}, testBatch(t)))
	dom = dumpDOM(t, browser, batch)
	for _, want := range []string{`id="index"`, `id="c1-verdict"`, `id="c3-chart-processes"`, "broken.txt"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered batch page lacks %q", want)
		}
	}
	var series bytes.Buffer
	if err := (reporters.HTML{}).Write(&series, seriesReport(t)); err != nil {
		t.Fatal(err)
	}
	dom = dumpDOM(t, browser, series.String())
	if !strings.Contains(dom, `id="chart-growth"`) || strings.Count(dom, "<polyline") != 2 || strings.Count(dom, "<circle") != 6 {
		t.Errorf("rendered series page lacks its growth chart (2 lines of 3 points)")
	}
	if strings.Contains(dom, "<script") {
		t.Error("a report page holds a script")
	}
	_ = engine.Absent
}
