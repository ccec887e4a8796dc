package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/script"
)

type explainIn struct {
	Models    []ModelInput   `json:"models,omitempty" jsonschema:"the models, evaluated with their own data: INIT actions run first, then data and script (give models or session_id)"`
	SessionID string         `json:"session_id,omitempty" jsonschema:"a walk session: the guard is evaluated with the session's current data (give models or session_id)"`
	Edge      string         `json:"edge,omitempty" jsonschema:"the edge whose guard to explain: its name or id (give edge or guard)"`
	Model     string         `json:"model,omitempty" jsonschema:"the name of the model the edge is in, when several models have such an edge"`
	Guard     string         `json:"guard,omitempty" jsonschema:"a guard expression to explain instead of an edge's, e.g. loggedIn && attempts < 3"`
	Data      map[string]any `json:"data,omitempty" jsonschema:"variables to set before evaluating, e.g. {\"loggedIn\": true, \"attempts\": 2} (with models only)"`
	Script    string         `json:"script,omitempty" jsonschema:"JavaScript to run before evaluating, e.g. attempts = 3; (with models only)"`
}

// GuardPart is one part of a guard: the whole guard, an operand of its
// top-level && and ||, a negated expression, recursively.
type GuardPart struct {
	ID      int               `json:"id"`
	Parent  int               `json:"parent" jsonschema:"the id of the part this one belongs to; -1 for the whole guard"`
	Expr    string            `json:"expr"`
	Op      string            `json:"op,omitempty" jsonschema:"&&, || or ! for a part made of parts; empty for a leaf"`
	Value   *bool             `json:"value,omitempty" jsonschema:"the part's truth value; absent when skipped or failed"`
	Error   string            `json:"error,omitempty" jsonschema:"why the part could not be evaluated"`
	Skipped bool              `json:"skipped,omitempty" jsonschema:"not evaluated, as JavaScript would not: the parts before it already decided its && or ||"`
	Vars    map[string]string `json:"vars,omitempty" jsonschema:"the data variables the part reads, with their values"`
}

type explainOut struct {
	Guard       string      `json:"guard"`
	Edge        *ElementRef `json:"edge,omitempty"`
	Model       string      `json:"model" jsonschema:"the model whose data the guard was evaluated with"`
	Value       bool        `json:"value" jsonschema:"the guard's value, as the machine evaluates it: the edge is available only when true"`
	Error       string      `json:"error,omitempty" jsonschema:"why the guard has no value (it throws, or does not return a boolean); the edge is then not available"`
	Explanation string      `json:"explanation"`
	Because     []string    `json:"because" jsonschema:"the parts that decide the value: for a false guard, the false parts (or true ones under a !)"`
	Parts       []GuardPart `json:"parts"`
}

// Bounds on the parts a guard is split into.
const (
	maxGuardParts = 64
	maxGuardDepth = 16
)

func (s *Server) addGuardTool() {
	addTool(s, &sdk.Tool{
		Name: "explain_guard",
		Description: "Evaluate a guard with the real JavaScript sandbox and say why it is true or false: the guard is split at its &&, || and !, each part is evaluated as JavaScript would (left to right, skipping what && and || skip), with the data variables each part reads. " +
			"Give an edge (name or id) or a guard, and either models (their INIT actions run, then your data and script) or a session_id (its current data).",
		Annotations: readOnly("Explain a guard"),
	}, s.explainGuard)
}

// evaluator evaluates expressions in one scope, as the machine evaluates
// guards (an expression mentioning "global." runs in the global scope).
type evaluator interface {
	check(expr string) (bool, error)
	data() (map[string]string, error)
}

type sandboxEval struct {
	sb          *script.Sandbox
	env, global *script.Env
}

func (e *sandboxEval) run(env *script.Env, src string) error {
	if script.IsGlobal(src) {
		env, src = e.global, script.StripGlobal(src)
	}
	p, err := e.sb.Compile(src)
	if err != nil {
		return err
	}
	return env.Exec(p)
}

// exec runs src in env as it is (data assignments: a value that happens
// to contain "global." must not move them to the global scope).
func (e *sandboxEval) exec(env *script.Env, src string) error {
	p, err := e.sb.Compile(src)
	if err != nil {
		return err
	}
	return env.Exec(p)
}

func (e *sandboxEval) check(expr string) (bool, error) {
	env, src := e.env, expr
	if script.IsGlobal(src) {
		env, src = e.global, script.StripGlobal(src)
	}
	p, err := e.sb.Compile(src)
	if err != nil {
		return false, err
	}
	return env.Bool(p)
}

func (e *sandboxEval) data() (map[string]string, error) {
	kvs, err := e.env.Data()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, kv := range kvs {
		out[kv.Key] = kv.Value
	}
	return out, nil
}

type machineEval struct{ m *machine.Machine }

func (e machineEval) check(expr string) (bool, error)  { return e.m.Check(expr) }
func (e machineEval) data() (map[string]string, error) { return data(e.m) }

var identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

func (s *Server) explainGuard(ctx context.Context, in explainIn) (explainOut, error) {
	switch {
	case (len(in.Models) > 0) == (in.SessionID != ""):
		return explainOut{}, inputError(`give either "models" (the guard is evaluated with the models' own data) or "session_id" (with a session's current data)`)
	case (in.Edge != "") == (in.Guard != ""):
		return explainOut{}, inputError(`give either "edge" (an edge's name or id) or "guard" (an expression)`)
	case in.SessionID != "" && (len(in.Data) > 0 || in.Script != ""):
		return explainOut{}, inputError(`"data" and "script" go with "models": a session's data is changed with set_data`)
	}
	for k := range in.Data {
		if !identifier.MatchString(k) {
			return explainOut{}, inputError("data key %q is not a JavaScript variable name (letters, digits, _ and $; not starting with a digit)", k)
		}
	}
	if in.SessionID != "" {
		var out explainOut
		err := s.withWalk(in.SessionID, func(w *walk, m *machine.Machine) error {
			guard, mod, edge, err := pickGuard(w.models, in)
			if err != nil {
				return err
			}
			cur := m.Current()
			if mod != nil && cur != nil && cur.Model() != mod {
				return inputError("edge %q is in model %q, but session %s stands in model %q: a guard is evaluated in the scope of the model the walk stands in", in.Edge, mod.Name, w.id, cur.Model().Name)
			}
			if mod == nil && cur != nil {
				mod = cur.Model()
			}
			m.Begin() // one deadline for the whole explanation
			defer m.End()
			out, err = s.explain(guard, mod, edge, machineEval{m}, true)
			return err
		})
		return out, err
	}
	models, err := s.loadModels(ctx, in.Models, loadOptions{})
	if err != nil {
		return explainOut{}, err
	}
	guard, mod, edge, err := pickGuard(models, in)
	if err != nil {
		return explainOut{}, err
	}
	if mod == nil {
		mod = models[0]
		if in.Model != "" {
			if mod = modelNamed(models, in.Model); mod == nil {
				return explainOut{}, inputError("no model is named %q (the models: %s)", in.Model, strings.Join(modelNames(models), ", "))
			}
		}
	}
	sb := script.NewSandbox(s.opts.Script)
	defer sb.Close()
	sb.Begin() // one deadline for INIT actions, data and the explanation
	defer sb.End()
	ev := &sandboxEval{sb: sb, global: sb.NewEnv()}
	for _, m := range models {
		env := sb.NewEnv()
		if m == mod {
			ev.env = env
		}
		for _, a := range m.Actions {
			if err := ev.run(env, a); err != nil {
				return explainOut{}, fmt.Errorf("model %q: INIT action %q: %w", m.Name, clipText(a, 200), err)
			}
		}
	}
	keys := make([]string, 0, len(in.Data))
	for k := range in.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := json.Marshal(in.Data[k])
		if err != nil {
			return explainOut{}, inputError("data %q: %v", k, err)
		}
		if err := ev.exec(ev.env, k+" = "+string(v)+";"); err != nil {
			return explainOut{}, fmt.Errorf("data %q: %w", k, err)
		}
	}
	if in.Script != "" {
		if err := ev.run(ev.env, in.Script); err != nil {
			return explainOut{}, fmt.Errorf("script: %w", err)
		}
	}
	return s.explain(guard, mod, edge, ev, false)
}

func modelNamed(models []*model.Model, name string) *model.Model {
	for _, m := range models {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// pickGuard finds the guard to explain: the given one, or the edge's
// (looked up by id, then by name).
func pickGuard(models []*model.Model, in explainIn) (string, *model.Model, *ElementRef, error) {
	if in.Guard != "" {
		var mod *model.Model
		if in.Model != "" {
			if mod = modelNamed(models, in.Model); mod == nil {
				return "", nil, nil, inputError("no model is named %q (the models: %s)", in.Model, strings.Join(modelNames(models), ", "))
			}
		}
		return in.Guard, mod, nil, nil
	}
	type hit struct {
		m *model.Model
		e *model.Edge
	}
	var byID, byName []hit
	for _, m := range models {
		if in.Model != "" && m.Name != in.Model {
			continue
		}
		for _, e := range m.Edges {
			if e.ID == in.Edge {
				byID = append(byID, hit{m, e})
			}
			if e.Name == in.Edge {
				byName = append(byName, hit{m, e})
			}
		}
	}
	hits := byID
	if len(hits) == 0 {
		hits = byName
	}
	switch {
	case len(hits) == 0:
		where := "the models"
		if in.Model != "" {
			where = fmt.Sprintf("model %q", in.Model)
		}
		return "", nil, nil, inputError("no edge of %s has the name or id %q (describe_model lists the edges)", where, in.Edge)
	case len(hits) > 1:
		var names []string
		for _, h := range hits {
			names = append(names, fmt.Sprintf("%s in model %q", h.m.Describe(h.m.EdgeElement(h.e)), h.m.Name))
		}
		return "", nil, nil, inputError("%d edges match %q: %s; give the edge's id, or the model", len(hits), in.Edge, strings.Join(names, "; "))
	}
	h := hits[0]
	ref := elementRef(h.m, h.m.EdgeElement(h.e))
	return h.e.Guard, h.m, &ref, nil
}

// explainer splits a guard and evaluates its parts.
type explainer struct {
	src    string
	global bool // the guard runs in the global scope: so must its parts
	parts  []GuardPart
	nodes  []ast.Expression
	ev     evaluator
	vars   map[string]string
}

func (s *Server) explain(guard string, mod *model.Model, edge *ElementRef, ev evaluator, live bool) (explainOut, error) {
	out := explainOut{Guard: guard, Edge: edge, Because: []string{}, Parts: []GuardPart{}}
	if mod != nil {
		out.Model = mod.Name
	}
	if strings.TrimSpace(guard) == "" {
		out.Value = true
		out.Explanation = "The edge has no guard: it is always available."
		return out, nil
	}
	// The sandbox's checks (size, nesting) come before goja's parser,
	// whose recursion they bound.
	sb := script.NewSandbox(s.opts.Script)
	_, err := sb.Compile(script.StripGlobal(guard))
	sb.Close()
	if err != nil {
		return out, fmt.Errorf("the guard %q does not compile: %w", clipText(guard, 200), err)
	}
	x := &explainer{src: guard, global: script.IsGlobal(guard), ev: ev}
	root := x.split(guard)
	if root != nil && live {
		if what := sideEffect(reflect.ValueOf(root)); what != "" {
			return out, inputError("the guard %q changes data (%s): explaining it would evaluate it again and change the session's data; explain it with models and data instead", clipText(guard, 200), what)
		}
	}
	value, gerr := ev.check(guard)
	if vars, err := ev.data(); err == nil {
		x.vars = vars
	}
	if root == nil || sideEffect(reflect.ValueOf(root)) != "" {
		// One part only: a statement list, or a guard whose parts would
		// change data when evaluated one by one.
		x.parts = append(x.parts, GuardPart{ID: 0, Parent: -1, Expr: guard})
		x.nodes = append(x.nodes, root)
	} else {
		x.add(root, -1, 0)
	}
	x.eval(0)
	if gerr != nil {
		out.Error = gerr.Error()
		x.parts[0].Value, x.parts[0].Error = nil, gerr.Error()
	} else {
		out.Value = value
		x.parts[0].Value, x.parts[0].Error = &value, ""
	}
	out.Parts = x.parts
	if gerr == nil {
		for _, id := range x.because(0, value) {
			out.Because = append(out.Because, x.parts[id].Expr)
		}
	}
	out.Explanation = x.sentence(out, gerr)
	return out, nil
}

// split parses the guard as one expression; nil when it is not one.
func (x *explainer) split(guard string) ast.Expression {
	prg, err := parser.ParseFile(nil, "", guard, 0)
	if err != nil || len(prg.Body) != 1 {
		return nil
	}
	st, ok := prg.Body[0].(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	return st.Expression
}

// text is the source of e (goja's offsets are 1-based).
func (x *explainer) text(e ast.Expression) string {
	i, j := int(e.Idx0())-1, int(e.Idx1())-1
	if i < 0 || j > len(x.src) || i >= j {
		return ""
	}
	return strings.TrimSpace(x.src[i:j])
}

// logical returns the operator of a part made of parts, and its operands
// (chains of one operator flattened: a && b && c has three).
func logical(e ast.Expression) (string, []ast.Expression) {
	switch n := e.(type) {
	case *ast.BinaryExpression:
		var op string
		switch n.Operator {
		case token.LOGICAL_AND:
			op = "&&"
		case token.LOGICAL_OR:
			op = "||"
		default:
			return "", nil
		}
		var ops []ast.Expression
		var flat func(e ast.Expression)
		flat = func(e ast.Expression) {
			if b, ok := e.(*ast.BinaryExpression); ok && b.Operator == n.Operator {
				flat(b.Left)
				flat(b.Right)
				return
			}
			ops = append(ops, e)
		}
		flat(n)
		return op, ops
	case *ast.UnaryExpression:
		if n.Operator == token.NOT && !n.Postfix {
			return "!", []ast.Expression{n.Operand}
		}
	}
	return "", nil
}

// add records e as a part and its operands as its parts.
func (x *explainer) add(e ast.Expression, parent, depth int) int {
	id := len(x.parts)
	expr := x.text(e)
	if id == 0 {
		expr = strings.TrimSpace(x.src)
	}
	x.parts = append(x.parts, GuardPart{ID: id, Parent: parent, Expr: expr})
	x.nodes = append(x.nodes, e)
	op, operands := logical(e)
	if op == "" || depth >= maxGuardDepth || len(x.parts)+len(operands) > maxGuardParts {
		return id
	}
	for _, o := range operands {
		if x.text(o) == "" {
			return id // offsets we cannot trust: keep the part whole
		}
	}
	x.parts[id].Op = op
	for _, o := range operands {
		x.add(o, id, depth+1)
	}
	return id
}

func (x *explainer) children(id int) []int {
	var out []int
	for i := id + 1; i < len(x.parts); i++ {
		if x.parts[i].Parent == id {
			out = append(out, i)
		}
	}
	return out
}

// eval evaluates part id as JavaScript would: operands of && and || left
// to right until one decides.
func (x *explainer) eval(id int) {
	p := &x.parts[id]
	switch p.Op {
	case "":
		src := "!!(" + p.Expr + "\n)"
		if x.global {
			src += " /*global.*/" // route the part to the guard's scope
		}
		v, err := x.ev.check(src)
		if err != nil {
			p.Error = err.Error()
		} else {
			p.Value = &v
		}
		p.Vars = x.varsOf(x.nodes[id])
	case "!":
		c := x.children(id)[0]
		x.eval(c)
		if cv := x.parts[c].Value; cv != nil {
			v := !*cv
			p.Value = &v
		} else {
			p.Error = "its operand could not be evaluated"
		}
	default:
		decided := false
		for _, c := range x.children(id) {
			if decided {
				x.skip(c)
				continue
			}
			x.eval(c)
			cv := x.parts[c].Value
			switch {
			case cv == nil:
				p.Error = "a part could not be evaluated"
				decided = true
			case *cv == (p.Op == "||"):
				v := *cv
				p.Value = &v
				decided = true
			}
		}
		if !decided {
			v := p.Op == "&&"
			p.Value = &v
		}
	}
}

func (x *explainer) skip(id int) {
	x.parts[id].Skipped = true
	for _, c := range x.children(id) {
		x.skip(c)
	}
}

// because lists the leaf parts that give part id the value want.
func (x *explainer) because(id int, want bool) []int {
	p := x.parts[id]
	switch p.Op {
	case "":
		return []int{id}
	case "!":
		return x.because(x.children(id)[0], !want)
	}
	var out []int
	for _, c := range x.children(id) {
		cp := x.parts[c]
		if cp.Value == nil || *cp.Value != want {
			continue
		}
		out = append(out, x.because(c, want)...)
		// One true operand makes || true, one false operand makes && false.
		if (p.Op == "||") == want {
			break
		}
	}
	return out
}

func (x *explainer) sentence(out explainOut, gerr error) string {
	if gerr != nil {
		return "The guard has no value, so the edge is not available: " + gerr.Error()
	}
	state := "false"
	if out.Value {
		state = "true"
	}
	var reasons []string
	for _, expr := range out.Because {
		for _, p := range x.parts {
			if p.Expr != expr || p.Op != "" || p.Value == nil {
				continue
			}
			r := fmt.Sprintf("%s is %v", expr, *p.Value)
			var vs []string
			for _, k := range sortedKeys(p.Vars) {
				vs = append(vs, k+" = "+clipText(p.Vars[k], 100))
			}
			if len(vs) > 0 {
				r += " (" + strings.Join(vs, ", ") + ")"
			}
			reasons = append(reasons, r)
			break
		}
	}
	if len(reasons) == 0 || len(x.parts) == 1 && len(reasons) == 1 && reasons[0] == "" {
		return "The guard is " + state + "."
	}
	return "The guard is " + state + " because " + strings.Join(reasons, " and ") + "."
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// varsOf lists the data variables expression e reads, with their values.
func (x *explainer) varsOf(e ast.Expression) map[string]string {
	if e == nil || len(x.vars) == 0 {
		return nil
	}
	out := map[string]string{}
	var visit func(v reflect.Value)
	visit = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if v.IsNil() {
				return
			}
			switch n := v.Interface().(type) {
			case *ast.Identifier:
				if val, ok := x.vars[n.Name.String()]; ok {
					out[n.Name.String()] = val
				}
				return
			case *ast.DotExpression:
				if id, ok := n.Left.(*ast.Identifier); ok && id.Name == "global" {
					if val, ok := x.vars[n.Identifier.Name.String()]; ok {
						out[n.Identifier.Name.String()] = val
					}
					return
				}
				visit(reflect.ValueOf(n.Left)) // not the property name
				return
			}
			visit(v.Elem())
		case reflect.Struct:
			if !isAST(v.Type()) {
				return
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					visit(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				visit(v.Index(i))
			}
		}
	}
	visit(reflect.ValueOf(e))
	if len(out) == 0 {
		return nil
	}
	return out
}

const astPkg = "github.com/dop251/goja/ast"

func isAST(t reflect.Type) bool { return t.PkgPath() == astPkg }

// sideEffect describes the first thing in a parsed guard that changes
// data (an assignment, ++, --, delete), or "".
func sideEffect(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		switch n := v.Interface().(type) {
		case *ast.AssignExpression:
			return "an assignment"
		case *ast.UnaryExpression:
			switch n.Operator {
			case token.INCREMENT, token.DECREMENT:
				return "an increment or decrement"
			case token.DELETE:
				return "a delete"
			}
		}
		return sideEffect(v.Elem())
	case reflect.Struct:
		if !isAST(v.Type()) {
			return ""
		}
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			if what := sideEffect(v.Field(i)); what != "" {
				return what
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if what := sideEffect(v.Index(i)); what != "" {
				return what
			}
		}
	}
	return ""
}
