package runreport

import (
	"fmt"
	"io"
	"strings"

	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
)

// Markdown writes a summary for a CI job page (e.g. GitHub's
// $GITHUB_STEP_SUMMARY): each run's verdict, its failures with the
// commands to replay and shrink them, and the coverage per model, merged
// over the runs.
func Markdown(w io.Writer, runs []*Run) error {
	var b strings.Builder
	failed := 0
	for _, run := range runs {
		if run.Verdict != record.Passed {
			failed++
		}
	}
	status := "all passed"
	if failed > 0 {
		status = fmt.Sprintf("%d of %d not passed", failed, len(runs))
	}
	fmt.Fprintf(&b, "### gw run report: %d run(s), %s\n\n", len(runs), status)
	b.WriteString("| run | verdict | steps | time | seed |\n|---|---|---:|---:|---:|\n")
	for _, run := range runs {
		fmt.Fprintf(&b, "| `%s` | %s %s | %s | %s | `%d` |\n", mdCode(run.Name()), verdictMark(run.Verdict), run.Verdict, num(run.Steps), millis(run.Millis), run.Header.Seed)
	}
	var fails []string
	for _, run := range runs {
		for _, f := range run.Failures {
			fails = append(fails, fmt.Sprintf("- `%s`, step %s, %s: %s  \n  replay: `%s`  \n  shortest walk to it: `%s`",
				mdCode(run.Name()), num(f.N), mdText(run.Where(f.Model, f.Element)), mdText(firstLine(f.Text)), mdCode(run.ReplayCommand()), mdCode(run.ShrinkCommand())))
		}
		if len(run.Failures) == 0 && run.Verdict != record.Passed && run.Reason != "" {
			fails = append(fails, fmt.Sprintf("- `%s`: %s", mdCode(run.Name()), mdText(run.Reason)))
		}
	}
	if len(fails) > 0 {
		b.WriteString("\n**Failures**\n\n" + strings.Join(fails, "\n") + "\n")
	}
	title := "**Coverage**"
	if len(runs) > 1 {
		title = fmt.Sprintf("**Coverage merged over %d runs**", len(runs))
	}
	b.WriteString("\n" + title + "\n\n| model | vertices | edges | requirements | never visited |\n|---|---:|---:|---|---|\n")
	for _, c := range Merge(runs) {
		m := c.Model
		vv, ev := 0, 0
		for el, v := range c.Visits {
			if v > 0 {
				if m.IsVertex(el) {
					vv++
				} else {
					ev++
				}
			}
		}
		reqs := "—"
		if total := countRequirements(m); total > 0 {
			reqs = fmt.Sprintf("%d of %d covered", total-len(c.NotCovered), total)
			if len(c.Failed) > 0 {
				reqs += fmt.Sprintf(", %d failed", len(c.Failed))
			}
		}
		never := "—"
		if nv := c.NeverVisited(); len(nv) > 0 {
			var names []string
			for i, el := range nv {
				if i == 8 {
					names = append(names, fmt.Sprintf("and %d more", len(nv)-8))
					break
				}
				names = append(names, "`"+mdCode(elementName(m, el))+"`")
			}
			never = strings.Join(names, ", ")
		}
		fmt.Fprintf(&b, "| %s | %d/%d (%s) | %d/%d (%s) | %s | %s |\n", mdText(c.Label), vv, len(m.Vertices), pct(vv, len(m.Vertices)),
			ev, len(m.Edges), pct(ev, len(m.Edges)), reqs, never)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func verdictMark(v string) string {
	switch v {
	case record.Passed:
		return "✅"
	case record.Failed, record.Limit:
		return "❌"
	}
	return "⚠️"
}

// countRequirements counts a model's distinct requirement keys.
func countRequirements(m *model.Model) int {
	keys := map[string]bool{}
	for _, r := range m.Requirements {
		keys[r] = true
	}
	for el := range m.NumElements() {
		for _, r := range m.ElementRequirements(el) {
			keys[r] = true
		}
	}
	return len(keys)
}

// mdCode keeps text inside `…`.
func mdCode(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "`", "'"), "\n", " ") }

// mdText keeps text inside a table cell or list item.
func mdText(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "'")
	return r.Replace(s)
}
