package runreport

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/golden"
	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/record"
)

var goldenNames = []string{"login-passed", "login-error", "login-online", "login-killed"}

func summaries(t *testing.T, names ...string) []*Run {
	t.Helper()
	var runs []*Run
	for _, n := range names {
		run, err := Summarize("testdata/records/" + n + ".jsonl")
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	return runs
}

func render(t *testing.T, runs []*Run) (html, junit, md []byte) {
	t.Helper()
	var h, j, m bytes.Buffer
	if err := HTML(&h, runs, HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := JUnit(&j, runs); err != nil {
		t.Fatal(err)
	}
	if err := Markdown(&m, runs); err != nil {
		t.Fatal(err)
	}
	return h.Bytes(), j.Bytes(), m.Bytes()
}

// Reports on the golden records, one by one and all together.
func TestGoldenReports(t *testing.T) {
	cases := map[string][]string{"all": goldenNames}
	for _, n := range goldenNames {
		cases[n] = []string{n}
	}
	for name, records := range cases {
		h, j, m := render(t, summaries(t, records...))
		golden.Check(t, "testdata/reports/"+name+".html", h)
		golden.Check(t, "testdata/reports/"+name+".xml", j)
		golden.Check(t, "testdata/reports/"+name+".md", m)
		selfContained(t, name, h)
		validJUnit(t, name, j)
	}
}

var external = regexp.MustCompile(`(?i)<script|<link|<iframe|<img|\bsrc=|url\(\s*['"]?[a-z]+:|@import|https?://`)

// selfContained checks that a page loads nothing from elsewhere and that
// its drawings are well-formed XML.
func selfContained(t *testing.T, name string, page []byte) {
	t.Helper()
	text := strings.ReplaceAll(string(page), `xmlns="http://www.w3.org/2000/svg"`, "")
	if loc := external.FindStringIndex(text); loc != nil {
		t.Errorf("%s.html refers to something outside the page: %q", name, text[max(0, loc[0]-40):min(len(text), loc[1]+40)])
	}
	svgs := regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(string(page), -1)
	if len(svgs) == 0 {
		t.Errorf("%s.html has no drawing", name)
	}
	for _, s := range svgs {
		d := xml.NewDecoder(strings.NewReader(s))
		for {
			_, err := d.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s.html: a drawing is not well-formed XML: %v", name, err)
				}
				break
			}
		}
	}
}

// validJUnit validates JUnit XML against the Jenkins xUnit plugin's
// schema with xmllint. In CI a missing xmllint fails the test.
func validJUnit(t *testing.T, name string, doc []byte) {
	t.Helper()
	xmllint := gwtest.Program(t, "libxml2-utils", "xmllint")
	file := filepath.Join(t.TempDir(), name+".xml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", file).CombinedOutput()
	if err != nil {
		t.Errorf("%s.xml is not valid JUnit: %v\n%s", name, err, out)
	}
}

func TestSummaries(t *testing.T) {
	runs := summaries(t, goldenNames...)
	passed, failed, online, killed := runs[0], runs[1], runs[2], runs[3]

	if passed.Verdict != record.Passed || !passed.Finished || len(passed.Failures) != 0 || passed.Steps != 24 {
		t.Errorf("passed: %s %v %d failures, %d steps", passed.Verdict, passed.Finished, len(passed.Failures), passed.Steps)
	}
	if rm := passed.Models[0]; rm.VisitedEdges() != 9 || rm.Status != "COMPLETED" {
		t.Errorf("passed: %d edges visited, %s", rm.VisitedEdges(), rm.Status)
	}

	if len(failed.Failures) != 1 {
		t.Fatalf("error run: %+v", failed.Failures)
	}
	f := failed.Failures[0]
	last := f.Steps[len(f.Steps)-1]
	if f.Kind != "error" || !f.Entered || len(f.Steps) != ContextSteps+1 || last.Note != "failed here" || last.N != f.N ||
		!strings.Contains(f.Text, "logout with remember-me crashed") || !strings.Contains(dataText(last.Data), "rememberMe = true") {
		t.Errorf("error run's failure: %+v, last step %+v", f, last)
	}
	for i := 1; i < len(f.Steps); i++ {
		if f.Steps[i].N != f.Steps[i-1].N+1 {
			t.Errorf("context steps not consecutive: %d then %d", f.Steps[i-1].N, f.Steps[i].N)
		}
	}

	if len(online.Failures) != 1 || online.Failures[0].Kind != "fail" || online.Failures[0].N != 11 || online.SetData != 1 {
		t.Fatalf("online run: %+v, %d setData", online.Failures, online.SetData)
	}
	noted := false
	for _, s := range online.Failures[0].Steps {
		if strings.Contains(s.Note, "setData: rememberMe = true;") && strings.Contains(dataText(s.Data), "rememberMe = true") {
			noted = true
		}
	}
	if !noted {
		t.Errorf("the setData does not show in the steps before the fail: %+v", online.Failures[0].Steps)
	}
	if !online.Online() || !strings.HasPrefix(online.ReplayCommand(), "gw online --service RESTFUL --replay testdata/records/login-online.jsonl") {
		t.Errorf("online replay command %q", online.ReplayCommand())
	}

	if killed.Verdict != Unfinished || killed.Finished || !killed.Torn || killed.Steps != passed.Steps-1 {
		t.Errorf("killed: %s finished=%v torn=%v %d steps", killed.Verdict, killed.Finished, killed.Torn, killed.Steps)
	}
	reqs := map[string]string{}
	for _, r := range killed.Models[0].Requirements {
		reqs[r.Key] = r.Status
	}
	if reqs["UC01 browse"] != "PASSED" || reqs["UC00 login model"] != "NOT_COVERED" || len(reqs) != 4 {
		t.Errorf("killed run's derived requirements: %v", reqs)
	}
}

func TestMerge(t *testing.T) {
	runs := summaries(t, "login-online", "login-killed")
	cov := Merge(runs)
	if len(cov) != 1 || cov[0].Runs != 2 {
		t.Fatalf("merged %+v", cov)
	}
	var never []string
	for _, el := range cov[0].NeverVisited() {
		never = append(never, cov[0].Model.ElementName(el))
	}
	// Neither run visited the start vertex (only its edge e_Init is walked).
	one, _ := Summarize("testdata/records/login-online.jsonl")
	for _, el := range cov[0].NeverVisited() {
		if one.Models[0].Visits[el] != 0 {
			t.Errorf("%s is never visited, yet the online run visited it", cov[0].Model.Describe(el))
		}
	}
	if len(never) == 0 || len(never) >= cov[0].Model.NumElements() {
		t.Errorf("never visited: %v", never)
	}
}

func TestSummarizeErrors(t *testing.T) {
	if _, err := Summarize("testdata/records/none.jsonl"); err == nil {
		t.Error("a missing record")
	}
	if _, err := SummarizeReader(strings.NewReader(`{"type":"header","recordVersion":9}`+"\n"), "x"); err == nil || !strings.Contains(err.Error(), "newer gw") {
		t.Errorf("a newer record: %v", err)
	}
}
