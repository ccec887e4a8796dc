package runreport

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/gw-project/gw/internal/record"
)

// The JUnit XML that Jenkins, GitLab and GitHub's test reporters read
// (checked against the Jenkins xUnit plugin's junit-10.xsd in the tests).

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Skipped   *junitProblem  `xml:"skipped"`
	Failures  []junitProblem `xml:"failure"`
	Errors    []junitProblem `xml:"error"`
}

type junitProblem struct {
	Type    string `xml:"type,attr,omitempty"`
	Message string `xml:"message,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func seconds(ms float64) string { return fmt.Sprintf("%.3f", ms/1000) }

// JUnit writes the runs as JUnit XML: per run and model a testsuite, with
// a testcase for the model's walk (failing with each fail and error that
// happened in it) and one per requirement (PASSED passes, FAILED fails,
// NOT_COVERED is skipped).
func JUnit(w io.Writer, runs []*Run) error {
	all := junitSuites{Name: "gw"}
	total := 0.0
	for _, run := range runs {
		total += run.Millis
		for k, rm := range run.Models {
			name := modelName(rm.Model)
			if len(runs) > 1 {
				name += " (" + run.Name() + ")"
			}
			s := junitSuite{Name: name, Time: seconds(run.Millis), Timestamp: run.Header.Start}
			s.Properties = []junitProperty{{"record", run.Path}, {"seed", fmt.Sprint(run.Header.Seed)}, {"generator", rm.Generator},
				{"verdict", run.Verdict}, {"replay", run.ReplayCommand()}}
			class := modelName(rm.Model)
			walk := junitCase{Name: "walk", Classname: class, Time: seconds(run.Millis)}
			for _, f := range run.Failures {
				if f.Model != k && !(f.Model < 0 && k == 0) {
					continue
				}
				p := junitProblem{Type: f.Kind, Message: fmt.Sprintf("step %d, %s: %s", f.N, run.Where(f.Model, f.Element), firstLine(f.Text)), Text: failureText(run, f)}
				if f.Kind == "fail" {
					walk.Failures = append(walk.Failures, p)
				} else {
					walk.Errors = append(walk.Errors, p)
				}
			}
			if len(walk.Failures) == 0 && len(walk.Errors) == 0 {
				switch {
				case run.Verdict == Unfinished || run.Verdict == record.Limit:
					walk.Errors = append(walk.Errors, junitProblem{Type: run.Verdict, Message: run.Reason})
				case rm.Status == "FAILED":
					walk.Failures = append(walk.Failures, junitProblem{Type: "failed", Message: "the model's walk failed: " + run.Reason})
				case rm.Status != "COMPLETED":
					walk.Skipped = &junitProblem{Message: "the walk ended before its stop condition was met (" + strings.ToLower(rm.Status) + "): " + run.Reason}
				}
			}
			s.add(walk)
			for _, r := range rm.Requirements {
				c := junitCase{Name: "requirement " + r.Key, Classname: class, Time: "0.000"}
				switch r.Status {
				case "PASSED":
				case "FAILED":
					c.Failures = []junitProblem{{Type: "requirement", Message: "requirement " + r.Key + " FAILED: " + firstLine(run.Reason)}}
				default:
					c.Skipped = &junitProblem{Message: "requirement " + r.Key + " was not covered by the run"}
				}
				s.add(c)
			}
			all.Suites = append(all.Suites, s)
			all.Tests += s.Tests
			all.Failures += s.Failures
			all.Errors += s.Errors
		}
	}
	all.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (s *junitSuite) add(c junitCase) {
	s.Tests++
	if len(c.Failures) > 0 {
		s.Failures++
	} else if len(c.Errors) > 0 {
		s.Errors++
	} else if c.Skipped != nil {
		s.Skipped++
	}
	s.Cases = append(s.Cases, c)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// failureText is a failure with the steps before it, as plain text.
func failureText(run *Run, f *Failure) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s at step %d, %s:\n%s\n", f.Kind, f.N, run.Where(f.Model, f.Element), f.Text)
	if len(f.Steps) > 0 {
		b.WriteString("\nThe steps before it, with the data after each:\n")
		for _, s := range f.Steps {
			m := run.Models[s.Model].Model
			fmt.Fprintf(&b, "  %d  %s  %s", s.N, modelName(m), elementName(m, s.Element))
			if s.DataKnown {
				fmt.Fprintf(&b, "  {%s}", dataText(s.Data))
			} else {
				b.WriteString("  (data not recorded)")
			}
			if s.Note != "" {
				b.WriteString("  — " + s.Note)
			}
			b.WriteByte('\n')
		}
	}
	fmt.Fprintf(&b, "\nReplay: %s\nShortest walk to it: %s\n", run.ReplayCommand(), run.ShrinkCommand())
	return b.String()
}
