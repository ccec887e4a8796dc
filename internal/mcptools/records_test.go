package mcptools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/mcp"
)

// recordsServer serves the records of testdata/records from a temporary
// folder, their times set so that the newest is the failed run.
func recordsServer(t *testing.T, maxLine int64) (*client, string) {
	t.Helper()
	dir := t.TempDir()
	base := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i, name := range []string{"login-killed.jsonl", "login-passed.jsonl", "login-remember-me-failed.jsonl"} {
		data, err := os.ReadFile(filepath.Join("testdata/records", name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		when := base.Add(time.Duration(i) * time.Hour)
		os.Chtimes(p, when, when)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a record"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub.jsonl"), 0o755)
	c := newServer(t, mcp.Options{Extensions: []mcp.Extension{Records(RecordsOptions{Dir: dir, MaxLine: maxLine, Flag: "--max-model-size"})}})
	return c, dir
}

func TestListRecords(t *testing.T) {
	c, _ := recordsServer(t, 0)
	out, _ := c.ok("list_records", obj{})
	recs := out["records"].([]any)
	if out["total"].(float64) != 3 || len(recs) != 3 {
		t.Fatalf("listed %v", out)
	}
	want := []struct {
		file, verdict string
		steps         float64
	}{
		{"login-remember-me-failed.jsonl", "failed", 36},
		{"login-passed.jsonl", "passed", 30},
		{"login-killed.jsonl", "unfinished", 0},
	}
	for i, w := range want {
		r := recs[i].(obj)
		if r["file"] != w.file || r["verdict"] != w.verdict || r["service"] != "offline" {
			t.Errorf("record %d: %v, want %s %s", i, r, w.file, w.verdict)
		}
		if w.steps > 0 && r["steps"] != w.steps {
			t.Errorf("%s: steps %v, want %v", w.file, r["steps"], w.steps)
		}
		if models := r["models"].([]any); len(models) != 1 || models[0] != "Login" {
			t.Errorf("%s: models %v", w.file, models)
		}
	}
	if steps := recs[2].(obj)["steps"].(float64); steps <= 0 || steps >= 30 {
		t.Errorf("the killed run's last step: %v", steps)
	}
	out, _ = c.ok("list_records", obj{"limit": 1})
	if len(out["records"].([]any)) != 1 {
		t.Errorf("limit 1: %v", out)
	}
	c.fails("list_records", obj{"limit": 100000}, "maximum")
}

func TestReportRecord(t *testing.T) {
	c, dir := recordsServer(t, 0)
	out, text := c.ok("report_record", obj{"file": "login-remember-me-failed.jsonl"})
	if out["verdict"] != "failed" || out["steps"] != 36.0 {
		t.Fatalf("report: %v", out)
	}
	fails := out["failures"].([]any)
	if len(fails) != 1 || !strings.Contains(fails[0].(obj)["element"].(string), "e_Exit") {
		t.Errorf("failures %v", fails)
	}
	if out["replay"] != "gw replay "+filepath.Join(dir, "login-remember-me-failed.jsonl") {
		t.Errorf("replay %v", out["replay"])
	}
	if !strings.Contains(text, "Exit") || !strings.Contains(text, "|") {
		t.Errorf("markdown:\n%s", text)
	}
	m := out["models"].([]any)[0].(obj)
	if m["name"] != "Login" || m["edges"] != 9.0 {
		t.Errorf("model %v", m)
	}
	out, _ = c.ok("report_record", obj{"file": "login-killed.jsonl"})
	if out["verdict"] != "unfinished" {
		t.Errorf("killed: %v", out)
	}
	for _, tc := range []struct{ file, want string }{
		{"../etc/passwd", "not a record's file name"},
		{"/etc/passwd", "not a record's file name"},
		{"missing.jsonl", "list_records lists them"},
		{"notes.txt", "report_record"},
		{"sub.jsonl", "report_record"},
	} {
		c.on(t).fails("report_record", obj{"file": tc.file}, tc.want)
	}
}

// A header over the line limit (it holds the models) names the flag.
func TestRecordLimits(t *testing.T) {
	c, _ := recordsServer(t, 1024)
	c.fails("report_record", obj{"file": "login-passed.jsonl"}, "--max-model-size")
	out, _ := c.ok("list_records", obj{})
	if p, _ := out["records"].([]any)[0].(obj)["problem"].(string); !strings.Contains(p, "--max-model-size") {
		t.Errorf("list: %v", out)
	}
}
