package mcp

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// StepInfo is one element of a walk.
type StepInfo struct {
	Model string `json:"model"`
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Kind  string `json:"kind" jsonschema:"vertex (a state to verify) or edge (an action to perform)"`
}

func stepInfo(st machine.Step) StepInfo {
	r := elementRef(st.Model(), st.Element)
	return StepInfo{Model: r.Model, ID: r.ID, Name: r.Name, Kind: r.Kind}
}

// Count is a coverage figure.
type Count struct {
	Visited int `json:"visited"`
	Total   int `json:"total"`
	Percent int `json:"percent" jsonschema:"visited × 100 / total, rounded down; 100 when there is nothing to visit"`
}

func count(visited, total int) Count {
	p := 100
	if total > 0 {
		p = visited * 100 / total
	}
	return Count{Visited: visited, Total: total, Percent: p}
}

// RequirementCount counts requirements by status.
type RequirementCount struct {
	Total      int `json:"total"`
	Passed     int `json:"passed"`
	Failed     int `json:"failed"`
	NotCovered int `json:"not_covered"`
}

// Coverage is what a walk covered.
type Coverage struct {
	Edges         Count            `json:"edges"`
	Vertices      Count            `json:"vertices"`
	Requirements  RequirementCount `json:"requirements"`
	Unvisited     []ElementRef     `json:"unvisited" jsonschema:"elements not visited yet (the first ones, see unvisited_more)"`
	UnvisitedMore int              `json:"unvisited_more,omitempty" jsonschema:"unvisited elements left out of the list"`
}

// maxUnvisited bounds the unvisited elements a reply lists.
const maxUnvisited = 200

func coverage(m *machine.Machine) Coverage {
	var c Coverage
	var ev, et, vv, vt int
	c.Unvisited = []ElementRef{}
	for _, ctx := range m.Contexts() {
		mod := ctx.Model()
		ev += ctx.VisitedEdges()
		et += len(mod.Edges)
		vv += ctx.VisitedVertices()
		vt += len(mod.Vertices)
		for _, r := range ctx.Requirements() {
			c.Requirements.Total++
			switch r.Status {
			case machine.Passed:
				c.Requirements.Passed++
			case machine.RequirementFailed:
				c.Requirements.Failed++
			default:
				c.Requirements.NotCovered++
			}
		}
		for el := range mod.NumElements() {
			if ctx.Visited(el) {
				continue
			}
			if len(c.Unvisited) < maxUnvisited {
				c.Unvisited = append(c.Unvisited, elementRef(mod, el))
			} else {
				c.UnvisitedMore++
			}
		}
	}
	c.Edges, c.Vertices = count(ev, et), count(vv, vt)
	return c
}

type planIn struct {
	Models       []ModelInput `json:"models" jsonschema:"the models to walk; each model's generator (or the source's generator) says how and until when"`
	Seed         *int64       `json:"seed,omitempty" jsonschema:"random seed: the same seed gives the same path (default: a random one, returned)"`
	MaxSteps     int          `json:"max_steps,omitempty" jsonschema:"end the plan after this many steps even if the stop condition is not met (at most the server's --max-plan-steps)"`
	Blocked      *bool        `json:"blocked,omitempty" jsonschema:"drop elements whose property blocked is true (default true)"`
	StartElement string       `json:"start_element,omitempty" jsonschema:"name of the first model's start element, replacing the model's own"`
}

type planOut struct {
	Seed      int64      `json:"seed"`
	Length    int        `json:"length" jsonschema:"the number of steps"`
	Completed bool       `json:"completed" jsonschema:"true when the stop conditions were met; false when max_steps ended the plan first"`
	Steps     []StepInfo `json:"steps"`
	Coverage  Coverage   `json:"coverage"`
}

func (s *Server) addPlanTools() {
	addTool(s, &sdk.Tool{
		Name: "plan_path",
		Description: "Walk models offline with their generators, as gw offline does, and return the path: its steps, length and coverage. Guards and actions run as in a real walk (with the models' own data). " +
			"Any generator works: random(edge_coverage(100)), quick_random(vertex_coverage(100)), a_star(reached_vertex(v_X)) for the shortest path to a target, shortest_all_paths(edge_coverage(100)) for the shortest walk that covers every edge. Bounded by max_steps, --max-plan-steps and --plan-timeout." + modelsSchemaNote,
		InputSchema: withMin(schemaFor[planIn](), "max_steps", 0),
		Annotations: readOnly("Plan a path"),
	}, s.planPath)
	s.addGuardTool()
}

// newSeed draws a seed that survives a trip through JSON numbers
// (JavaScript clients read integers above 2^53 inexactly).
func newSeed() int64 { return rand.Int64N(1 << 53) }

func (s *Server) machineOptions(seed int64) machine.Options {
	return machine.Options{Seed: seed, HasSeed: true, Script: s.opts.Script, NoProgressWindow: s.opts.NoProgressWindow}
}

func (s *Server) planPath(ctx context.Context, in planIn) (planOut, error) {
	if in.MaxSteps < 0 {
		return planOut{}, inputError("max_steps %d: give a positive number of steps, or leave it out", in.MaxSteps)
	}
	models, err := s.loadModels(ctx, in.Models, loadOptions{blocked: boolOr(in.Blocked, true), startElement: in.StartElement})
	if err != nil {
		return planOut{}, err
	}
	seed := newSeed()
	if in.Seed != nil {
		seed = *in.Seed
	}
	limit, own := s.opts.MaxPlanSteps, false
	if in.MaxSteps > 0 && in.MaxSteps <= limit {
		limit, own = in.MaxSteps, true
	}
	m, err := machine.New(models, s.machineOptions(seed))
	if err != nil {
		return planOut{}, err
	}
	defer m.Close()
	errTimeout := limitError("plan_path", fmt.Sprintf("walked for %v, the plan time limit, before its stop condition was met; give a stop condition that ends sooner or a max_steps", s.opts.PlanTimeout), FlagPlanTimeout, limits.ErrTime)
	timer := time.AfterFunc(s.opts.PlanTimeout, func() { m.Abort(errTimeout) })
	defer timer.Stop()
	stopCtx := context.AfterFunc(ctx, func() { m.Abort(fmt.Errorf("plan_path was cancelled: %w", context.Cause(ctx))) })
	defer stopCtx()

	out := planOut{Seed: seed, Steps: []StepInfo{}}
	for {
		more, err := m.HasNext()
		if err != nil {
			return planOut{}, planError(err, len(out.Steps))
		}
		if !more {
			out.Completed = true
			break
		}
		if len(out.Steps) >= limit {
			if own {
				break
			}
			return planOut{}, limitError("plan_path", fmt.Sprintf("reached %d steps, the plan length limit, before its stop condition was met; give a stop condition that ends sooner, or a max_steps to get the first steps", limit), FlagMaxPlanSteps, limits.ErrSize)
		}
		st, err := m.Next()
		if err != nil {
			return planOut{}, planError(err, len(out.Steps))
		}
		out.Steps = append(out.Steps, stepInfo(st))
	}
	out.Length = len(out.Steps)
	out.Coverage = coverage(m)
	return out, nil
}

// planError says how far a plan got before it failed; a limit error is
// returned as it is, naming its flag.
func planError(err error, steps int) error {
	var le *limits.Error
	if errors.As(err, &le) {
		return err
	}
	return fmt.Errorf("the walk failed after %d steps: %w", steps, err)
}

// modelNames names models for replies.
func modelNames(models []*model.Model) []string {
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = m.Name
	}
	return out
}
