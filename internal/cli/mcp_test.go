package cli

import (
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/mcp"
)

// The MCP options as `gw mcp` and `gw online --mcp` read them.
func TestMCPOptions(t *testing.T) {
	s := &optionSet{}
	s.add(&option{names: []string{"--max-sessions"}, kind: optValue})
	s.add(&option{names: []string{"--idle-timeout"}, kind: optValue})
	s.add(&option{names: []string{"--max-message"}, kind: optValue})
	s.add(&option{names: []string{"--allow-origin"}, kind: optValue, repeat: true})
	addMCPOptions(s, true)
	if _, err := s.parse([]string{"--models", "dir", "--max-sessions", "3", "--max-drafts", "4", "--idle-timeout", "5m",
		"--max-message", "64KiB", "--max-model-size", "1MiB", "--max-elements", "500", "--max-plan-steps", "50",
		"--plan-timeout", "2s", "--max-clients", "7", "--allow-origin", "a.example", "--allow-origin", "b.example"}, false); err != nil {
		t.Fatal(err)
	}
	o, err := mcpOptions(s)
	if err != nil {
		t.Fatal(err)
	}
	want := mcp.Options{ModelsDir: "dir", MaxSessions: 3, MaxDrafts: 4, IdleTimeout: 5 * time.Minute, MaxMessageBytes: 64 << 10,
		MaxModelBytes: 1 << 20, MaxElements: 500, MaxPlanSteps: 50, PlanTimeout: 2 * time.Second, MaxClients: 7}
	if o.ModelsDir != want.ModelsDir || o.MaxSessions != want.MaxSessions || o.MaxDrafts != want.MaxDrafts || o.IdleTimeout != want.IdleTimeout ||
		o.MaxMessageBytes != want.MaxMessageBytes || o.MaxModelBytes != want.MaxModelBytes || o.MaxElements != want.MaxElements ||
		o.MaxPlanSteps != want.MaxPlanSteps || o.PlanTimeout != want.PlanTimeout || o.MaxClients != want.MaxClients ||
		strings.Join(o.AllowOrigins, ",") != "a.example,b.example" {
		t.Errorf("got %+v", o)
	}
	for _, bad := range [][]string{{"--max-drafts", "0"}, {"--max-model-size", "1"}, {"--plan-timeout", "soon"}, {"--max-elements", "many"}} {
		s := &optionSet{}
		addMCPOptions(s, false)
		if _, err := s.parse(bad, false); err != nil {
			t.Fatal(err)
		}
		if _, err := mcpOptions(s); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

// `gw mcp --help` lists its options; a bad one is a usage error.
func TestMCPCommand(t *testing.T) {
	var out, errb strings.Builder
	if code := Main([]string{"mcp", "--help"}, &Env{Stdout: &out, Stderr: &errb}); code != 0 || !strings.Contains(out.String(), "--max-plan-steps") {
		t.Errorf("help: %d %s %s", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := Main([]string{"mcp", "--models", "no/such/folder"}, &Env{Stdout: &out, Stderr: &errb}); code != 1 || !strings.Contains(errb.String(), "--models no/such/folder") {
		t.Errorf("bad folder: %d %s", code, errb.String())
	}
}

// The server `gw mcp` and `gw online --mcp` build from their options has
// the 28 tools of internal/mcp and the 2 of internal/mcptools.
func TestMCPTools(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
		has  []string
	}{
		{nil, 30, []string{"plan_suite", "draw_model"}},
		{[]string{"--records", "testdata"}, 32, []string{"list_records", "report_record"}},
	} {
		names := mcpToolNames(t, tc.args)
		if len(names) != tc.want {
			t.Errorf("%v: %d tools: %v", tc.args, len(names), names)
		}
		for _, h := range tc.has {
			if !slices.Contains(names, h) {
				t.Errorf("%v: no %s in %v", tc.args, h, names)
			}
		}
	}
}

// mcpToolNames lists the tools of gw mcp with args.
func mcpToolNames(t *testing.T, args []string) []string {
	s := &optionSet{}
	s.add(&option{names: []string{"--records"}, kind: optValue, def: "<none>"})
	addMCPOptions(s, false)
	if _, err := s.parse(args, false); err != nil {
		t.Fatal(err)
	}
	o, err := mcpOptions(s)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mcp.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ct, st := sdk.NewInMemoryTransports()
	ss, err := srv.SDK().Connect(t.Context(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Wait()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "gw-cli-test", Version: "1"}, nil).Connect(t.Context(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.ListTools(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	return names
}
