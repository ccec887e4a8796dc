package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSuiteCommand runs gw suite end to end: every format, files in a
// folder, and each case file replayed by gw offline --gw with the steps the
// JSON lines promised.
func TestSuiteCommand(t *testing.T) {
	petclinic := td("json/PetClinic.json")
	out, errOut, code := runCLI(t, "suite", "-m", petclinic, "--max-length", "20")
	if code != 0 || !strings.HasPrefix(errOut, "suite: ") || !strings.Contains(errOut, "covers 25 of 25 edges") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var cases []struct {
		Case   int
		Length int
		Steps  []json.RawMessage
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var c struct {
			Case   int
			Length int
			Steps  []json.RawMessage
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if c.Length != len(c.Steps) || c.Case != len(cases)+1 {
			t.Fatalf("case %d: length %d, %d steps", c.Case, c.Length, len(c.Steps))
		}
		cases = append(cases, c)
	}
	dir := t.TempDir()
	if len(cases) < 3 {
		t.Fatalf("%d cases", len(cases))
	}
	if _, errOut, code := runCLI(t, "suite", "-m", petclinic, "--max-length", "20", "--format", "gw", "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for i, c := range cases {
		file := filepath.Join(dir, fmt.Sprintf("case-%03d.json", i+1))
		replayed, errOut, code := runCLI(t, "offline", "--gw", file)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", file, code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(replayed), "\n")
		if len(lines) != len(c.Steps) {
			t.Fatalf("%s replays %d steps, case has %d", file, len(lines), len(c.Steps))
		}
		for j, l := range lines {
			if l != string(c.Steps[j]) {
				t.Fatalf("%s step %d: %s, case has %s", file, j, l, c.Steps[j])
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "suite.json")); err != nil {
		t.Fatal(err)
	}
	alt := t.TempDir()
	if _, errOut, code := runCLI(t, "suite", "-m", petclinic, "--format", "altwalker", "--cover", "vertices", "-o", alt); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(filepath.Join(alt, "case-001.json"))
	if err != nil {
		t.Fatal(err)
	}
	var steps []map[string]any
	if err := json.Unmarshal(data, &steps); err != nil || len(steps) == 0 || steps[0]["modelName"] != "PetClinic" {
		t.Fatalf("%v %v", err, steps)
	}
	md, _, code := runCLI(t, "suite", "-m", petclinic, "--format", "markdown", "--cover", "edge-pairs", "--minimize", "cases", "--max-length", "40", "--reset-cost", "5")
	if code != 0 || !strings.HasPrefix(md, "| case | steps | covers | path |\n") {
		t.Fatalf("exit %d: %s", code, md)
	}
}

func TestSuiteCommandErrors(t *testing.T) {
	shopping := td("graphml/online/ShoppingCart.graphml")
	tests := []cliCase{
		{name: "needs --model", args: []string{"suite"}, code: 1, out: str(""),
			err: "An error occurred when running command: 'suite'.\nThe following option is required: [--model | -m]\nRun 'gw suite --help' for the options.\n"},
		{name: "bad cover", args: []string{"suite", "-m", shopping, "--cover", "paths"}, code: 1,
			errHas: []string{`--cover: cannot cover "paths": write edges, vertices, requirements or edge-pairs`, "Run 'gw suite --help'"}},
		{name: "bad minimize", args: []string{"suite", "-m", shopping, "--minimize", "time"}, code: 1,
			errHas: []string{`--minimize: "time" is not steps or cases`}},
		{name: "bad max length", args: []string{"suite", "-m", shopping, "--max-length", "-3"}, code: 1,
			errHas: []string{"--max-length: -3 is out of range"}},
		{name: "bad format", args: []string{"suite", "-m", shopping, "--format", "xml"}, code: 1,
			errHas: []string{`--format: "xml" is not jsonl, gw, altwalker or markdown`}},
		{name: "no start", args: []string{"suite", "-m", td("graphml/CorrectModels/modelWithNoStartVertex.graphml")}, code: 2,
			errHas: []string{"no model has a start element"}},
		{name: "a guard keeps an edge out: exit 1, reported", args: []string{"suite", "-m", td("own/UsingDataFromTest.json")}, code: 1,
			errHas: []string{"not covered: 1 of 3 edges:", `edge "e_Done"`, "guard [isDone == true]"}},
		{name: "too many pairs", args: []string{"suite", "-m", shopping, "--cover", "edge-pairs", "--max-pairs", "5"}, code: 2,
			errHas: []string{"the models have 18 pairs of consecutive edges; gw suite plans at most 5 (--max-pairs raises the limit)"}},
		{name: "requirements", args: []string{"suite", "-m", shopping, "--cover", "requirements"},
			errHas: []string{"covers 5 of 5 requirements"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
	out, _, _ := runCLI(t, "--help")
	if !strings.Contains(out, "\n    suite        Plans a test suite") {
		t.Errorf("--help does not list suite:\n%s", out)
	}
}
