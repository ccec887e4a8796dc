package label

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/javastr"
)

// VertexLabel is what a yEd node label says about a vertex.
type VertexLabel struct {
	Start        bool     // the label is the start form ("Start", any case): the node is the Start node
	Name         string   // names field as written, e.g. "v_a.b;v_c"; "" if absent
	SharedState  string   // SHARED:name
	InitActions  []string // INIT: block (one action); these become the model's actions
	Requirements []string // REQTAG list, in label order
	Blocked      bool     // BLOCKED
}

// EdgeLabel is what a yEd edge label says about an edge.
type EdgeLabel struct {
	Name          string
	Guard         string // text between the outer brackets, inner whitespace kept
	HasGuard      bool   // a [...] field was present (it may be empty)
	Actions       []string
	Weight        float64
	HasWeight     bool
	Dependency    int
	HasDependency bool
	Requirements  []string
	Blocked       bool
}

// ParseVertex parses a yEd node label (core.md §7.2).
func ParseVertex(text string) (VertexLabel, error) {
	p := getParser(text, false)
	defer putParser(p)
	var v VertexLabel
	// START form: the first non-whitespace token is START; the rest of the
	// label is ignored, as GraphWalker's "start" rule has no EOF.
	if q := p.nn[0]; q < len(p.toks) && p.toks[q].kind == kStart {
		v.Start = true
		return v, nil
	}
	err := p.fields(0, &fieldSink{vertex: &v})
	return v, err
}

// ParseEdge parses a yEd edge label (core.md §7.3).
func ParseEdge(text string) (EdgeLabel, error) {
	p := getParser(text, true)
	defer putParser(p)
	var e EdgeLabel
	err := p.fields(0, &fieldSink{edge: &e})
	return e, err
}

// parser holds one label's tokens and the tables that make the greedy
// action rule linear.
type parser struct {
	lexer
	edge bool
	// nn[p] is the index of the first non-whitespace token at or after p.
	nn []int
	// can[p]: tokens p.. parse as { field } EOF, ignoring the rule that
	// each field kind appears once (GraphWalker's ANTLR prediction ignores
	// it too, core.md §7.4).
	can []bool
	// namesEnd[p]: end of the names field starting at identifier p, -1 if
	// it is malformed.
	namesEnd []int
	// tagsOK[p]: tokens p.. form a REQTAG list (no empty tag).
	tagsOK []bool
	// lastSemi: the last ';' after which the rest parses: where every
	// action block ends. -1 if none.
	lastSemi int
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

func getParser(text string, edge bool) *parser {
	p := parserPool.Get().(*parser)
	p.edge = edge
	p.lex(text)
	p.tables()
	return p
}

func putParser(p *parser) {
	if cap(p.toks) > 1<<12 || cap(p.match) > 1<<16 { // do not pin huge buffers
		*p = parser{}
	}
	p.src = ""
	parserPool.Put(p)
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (p *parser) kind(i int) kind {
	if i >= len(p.toks) {
		return kEOF
	}
	return p.toks[i].kind
}

// tables fills nn, namesEnd, tagsOK, can and lastSemi, from the end of the
// label backwards.
func (p *parser) tables() {
	n := len(p.toks)
	p.nn = grow(p.nn, n+1)
	p.can = grow(p.can, n+1)
	p.namesEnd = grow(p.namesEnd, n+1)
	p.tagsOK = grow(p.tagsOK, n+1)
	p.nn[n], p.can[n], p.namesEnd[n], p.tagsOK[n] = n, true, -1, false
	p.lastSemi = -1
	nextComma := n
	for i := n - 1; i >= 0; i-- {
		k := p.toks[i].kind
		if k == kWS {
			p.nn[i] = p.nn[i+1]
		} else {
			p.nn[i] = i
		}
		// names = name { ";" name }, name = Identifier { "." Identifier }
		p.namesEnd[i] = -1
		if k == kIdent {
			switch p.kind(i + 1) {
			case kDot, kSemi:
				if p.kind(i+2) == kIdent {
					p.namesEnd[i] = p.namesEnd[i+2]
				}
			default:
				p.namesEnd[i] = i + 1
			}
		}
		// reqtag_list: every tag between commas has at least one token.
		if k == kComma {
			p.tagsOK[i] = false
			nextComma = i
		} else {
			p.tagsOK[i] = nextComma == n || p.tagsOK[nextComma+1]
		}
		p.can[i] = p.canField(i)
		if k == kSemi && p.lastSemi < 0 && p.can[i+1] {
			p.lastSemi = i
		}
	}
}

// canField reports whether a field starting at token i, followed by more
// fields and EOF, parses (uniqueness ignored). Tables for j > i are ready.
func (p *parser) canField(i int) bool {
	switch p.toks[i].kind {
	case kWS, kBlocked:
		return p.can[i+1]
	case kIdent:
		e := p.namesEnd[i]
		return e >= 0 && p.can[e]
	case kReqtag:
		q := p.nn[i+1]
		k := p.kind(q)
		return (k == kColon || k == kAssign) && p.tagsOK[q+1]
	}
	if p.edge {
		switch p.toks[i].kind {
		case kBrackets:
			return p.can[i+1]
		case kSlash:
			return p.lastSemi >= i+2
		case kWeight, kDependency:
			q := p.nn[i+1]
			if p.kind(q) != kAssign {
				return false
			}
			r := p.nn[q+1]
			return p.kind(r) == kValue && p.can[r+1]
		}
		return false
	}
	switch p.toks[i].kind {
	case kShared:
		q := p.nn[i+1]
		if p.kind(q) != kColon {
			return false
		}
		r := p.nn[q+1]
		return p.kind(r) == kIdent && p.can[r+1]
	case kInit:
		q := p.nn[i+1]
		return p.kind(q) == kColon && p.lastSemi >= q+2
	}
	return false
}

// fieldSink receives parsed fields; exactly one of vertex/edge is set.
// seen tracks field kinds for the once-only rule.
type fieldSink struct {
	vertex *VertexLabel
	edge   *EdgeLabel
	seen   [kEOF + 1]int // token index+1 of the first field of each kind
}

// fields parses { field } EOF from token i. With sink.vertex and
// sink.edge both nil it only diagnoses (no uniqueness rule), which is how
// errors behind a failed action block are explained.
func (p *parser) fields(i int, sink *fieldSink) error {
	check := sink.vertex != nil || sink.edge != nil
	for i < len(p.toks) {
		t := p.toks[i]
		k := t.kind
		if k == kWS {
			i++
			continue
		}
		if check && fieldKind(k) && sink.seen[k] > 0 {
			return p.errDuplicate(i, sink.seen[k]-1)
		}
		start := i
		var err error
		switch {
		case k == kIdent:
			i, err = p.names(i, sink)
		case k == kBlocked:
			if sink.vertex != nil {
				sink.vertex.Blocked = true
			} else if sink.edge != nil {
				sink.edge.Blocked = true
			}
			i++
		case k == kReqtag:
			i, err = p.reqtags(i, sink)
		case p.edge && k == kBrackets:
			if sink.edge != nil {
				sink.edge.Guard = p.src[t.off+1 : t.end-1]
				sink.edge.HasGuard = true
			}
			i++
		case p.edge && k == kSlash:
			i, err = p.actions(i, i+1, sink)
		case p.edge && (k == kWeight || k == kDependency):
			i, err = p.number(i, sink)
		case !p.edge && k == kShared:
			i, err = p.shared(i, sink)
		case !p.edge && k == kInit:
			q := p.nn[i+1]
			if p.kind(q) != kColon {
				return p.errAt(q, "INIT needs a ':' before its actions, as in INIT: x=1;")
			}
			i, err = p.actions(i, q+1, sink)
		default:
			return p.errUnexpected(i)
		}
		if err != nil {
			return err
		}
		if fieldKind(k) {
			sink.seen[k] = start + 1
		}
	}
	return nil
}

func fieldKind(k kind) bool {
	switch k {
	case kIdent, kBlocked, kReqtag, kBrackets, kSlash, kWeight, kDependency, kShared, kInit:
		return true
	}
	return false
}

func (p *parser) text(from, to int) string {
	if from >= to {
		return ""
	}
	a, b := p.toks[from].off, p.toks[to-1].end
	// Comments leave gaps; only then does the text need rebuilding.
	contiguous := true
	for j := from + 1; j < to; j++ {
		if p.toks[j].off != p.toks[j-1].end {
			contiguous = false
			break
		}
	}
	if contiguous {
		return p.src[a:b]
	}
	var sb strings.Builder
	sb.Grow(b - a)
	for j := from; j < to; j++ {
		sb.WriteString(p.src[p.toks[j].off:p.toks[j].end])
	}
	return sb.String()
}

func (p *parser) names(i int, sink *fieldSink) (int, error) {
	j := i
	for {
		// at an Identifier
		switch p.kind(j + 1) {
		case kDot:
			if p.kind(j+2) != kIdent {
				return 0, p.errAt(j+2, "a name part must follow '.' (names are letters, digits, '_' and '$', starting with a letter)")
			}
			j += 2
			continue
		case kSemi:
			if p.kind(j+2) != kIdent {
				return 0, p.errAt(j+2, "a name must follow ';' (write names as a;b without spaces; actions go after '/')")
			}
			j += 2
			continue
		}
		break
	}
	name := p.text(i, j+1)
	if sink.vertex != nil {
		sink.vertex.Name = name
	} else if sink.edge != nil {
		sink.edge.Name = name
	}
	return j + 1, nil
}

// actions parses an action block whose text starts at token from: "/" for
// edges, after "INIT:" for vertices. The block is one action ending at
// lastSemi (the greedy rule, core.md §7.4).
func (p *parser) actions(i, from int, sink *fieldSink) (int, error) {
	if p.lastSemi < from+1 {
		return 0, p.errActions(i, from)
	}
	if !p.edge {
		// "INIT" WS* ":" WS* action: the whitespace after ':' is not part
		// of the action, unless the action would otherwise be empty.
		from = min(p.nn[from], p.lastSemi-1)
	}
	act := p.text(from, p.lastSemi+1)
	if sink.vertex != nil {
		sink.vertex.InitActions = append(sink.vertex.InitActions[:0], act)
	} else if sink.edge != nil {
		sink.edge.Actions = append(sink.edge.Actions[:0], act)
	}
	return p.lastSemi + 1, nil
}

func (p *parser) reqtags(i int, sink *fieldSink) (int, error) {
	q := p.nn[i+1]
	if k := p.kind(q); k != kColon && k != kAssign {
		return 0, p.errAt(q, "REQTAG needs ':' or '=' before its tags, as in REQTAG: R1, R2")
	}
	var tags []string
	j := q + 1
	for {
		// one tag: tokens up to the next comma or EOF, leading whitespace
		// dropped unless the tag would be empty.
		e := j
		for e < len(p.toks) && p.toks[e].kind != kComma {
			e++
		}
		if e == j {
			if e < len(p.toks) {
				return 0, p.errAt(e, "empty requirement tag: put a tag between the separators")
			}
			return 0, p.errAt(e, "a requirement tag must follow REQTAG: or ','")
		}
		s := min(p.nn[j], e-1)
		tags = append(tags, p.text(s, e))
		if e == len(p.toks) {
			break
		}
		j = e + 1
	}
	if sink.vertex != nil {
		sink.vertex.Requirements = tags
	} else if sink.edge != nil {
		sink.edge.Requirements = tags
	}
	return len(p.toks), nil
}

func (p *parser) shared(i int, sink *fieldSink) (int, error) {
	q := p.nn[i+1]
	if p.kind(q) != kColon {
		return 0, p.errAt(q, "SHARED needs ':' and a name, as in SHARED:LoggedIn")
	}
	r := p.nn[q+1]
	if p.kind(r) != kIdent {
		return 0, p.errAt(r, "a shared state name (letters, digits, '_' and '$', starting with a letter) must follow 'SHARED:'")
	}
	if sink.vertex != nil {
		sink.vertex.SharedState = p.text(r, r+1)
	}
	return r + 1, nil
}

func (p *parser) number(i int, sink *fieldSink) (int, error) {
	word := "weight"
	if p.toks[i].kind == kDependency {
		word = "dependency"
	}
	q := p.nn[i+1]
	if p.kind(q) != kAssign {
		return 0, p.errAt(q, fmt.Sprintf("%s needs '=' and a number, as in %s=%s", word, word, example(word)))
	}
	r := p.nn[q+1]
	if p.kind(r) != kValue {
		return 0, p.errAt(r, fmt.Sprintf("a number must follow '%s=', as in %s=%s", word, word, example(word)))
	}
	v := p.text(r, r+1)
	if sink.edge == nil {
		return r + 1, nil
	}
	if word == "weight" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) {
			return 0, p.errValue(r, "weight", "the weight is too large; weights are probabilities such as 0.25")
		}
		sink.edge.Weight, sink.edge.HasWeight = f, true
		return r + 1, nil
	}
	// GraphWalker runs Integer.parseInt here and fails on "0.3".
	if strings.IndexByte(v, '.') >= 0 {
		return 0, p.errValue(r, "dependency", "a dependency is a whole number from 0 to 100, such as dependency=30")
	}
	d, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, p.errValue(r, "dependency", "the dependency is too large; use a whole number from 0 to 100")
	}
	sink.edge.Dependency, sink.edge.HasDependency = int(d), true
	return r + 1, nil
}

func example(word string) string {
	if word == "weight" {
		return "0.25"
	}
	return "80"
}

// SyntaxError is a label that does not follow GraphWalker's label grammar.
type SyntaxError struct {
	Label  string // the label text as given
	What   string // `unexpected "e_Other"`, `invalid dependency "0.3"`, …
	Line   int    // 1-based line inside the label
	Column int    // 1-based column (characters) inside the label
	Reason string // why, and how to fix it
}

func (e *SyntaxError) Error() string {
	l := javastr.Trim(e.Label)
	if len(l) > maxQuoted { // keep messages readable for huge labels
		cut := maxQuoted
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		l = l[:cut] + "..."
	}
	return fmt.Sprintf("The string '%s' did not conform to GraphWalker syntax rules. %s at %d:%d: %s",
		l, e.What, e.Line, e.Column, e.Reason)
}

const maxQuoted = 2000

func (p *parser) pos(off int) (line, col int) {
	line = 1 + strings.Count(p.src[:off], "\n")
	ls := strings.LastIndexByte(p.src[:off], '\n') + 1
	return line, 1 + utf8.RuneCountInString(p.src[ls:off])
}

func (p *parser) describe(i int) string {
	if i >= len(p.toks) {
		return "end of label"
	}
	t := p.src[p.toks[i].off:p.toks[i].end]
	if p.toks[i].kind == kWS {
		return "whitespace " + strconv.Quote(t)
	}
	if utf8.RuneCountInString(t) > 40 {
		r := []rune(t)
		t = string(r[:37]) + "..."
	}
	return strconv.Quote(t)
}

func (p *parser) errAt(i int, reason string) *SyntaxError {
	off := len(p.src)
	if i < len(p.toks) {
		off = p.toks[i].off
	}
	l, c := p.pos(off)
	return &SyntaxError{Label: p.src, What: "unexpected " + p.describe(i), Line: l, Column: c, Reason: reason}
}

func (p *parser) errValue(i int, word, reason string) *SyntaxError {
	e := p.errAt(i, reason)
	e.What = "invalid " + word + " " + p.describe(i)
	return e
}

func (p *parser) elem() string {
	if p.edge {
		return "an edge"
	}
	return "a vertex"
}

func (p *parser) errDuplicate(i, first int) *SyntaxError {
	l, c := p.pos(p.toks[first].off)
	at := fmt.Sprintf(" (the first is at %d:%d)", l, c)
	var why string
	switch p.toks[i].kind {
	case kIdent:
		why = p.elem() + " label has one name; put further names after ';' as in a;b" + at
	case kBrackets:
		why = "an edge label has one guard; combine conditions inside one [...] with && or ||" + at
	case kSlash:
		why = "an edge label has one action block; put all actions after one '/'" + at
	case kInit:
		why = "a vertex label has one INIT: block; put all actions in it" + at
	case kBlocked:
		why = "BLOCKED appears twice" + at
	case kShared:
		why = "a vertex label has one SHARED: state" + at
	case kWeight:
		why = "an edge label has one weight" + at
	case kDependency:
		why = "an edge label has one dependency" + at
	default:
		why = "this field appears twice" + at
	}
	if k := p.toks[first].kind; k == kSlash || k == kInit {
		why += "; note that an action block runs to the last ';' that is followed by valid fields"
	}
	return p.errAt(i, why)
}

// errActions explains an action block (starting with token i) that has no
// valid end.
func (p *parser) errActions(i, from int) error {
	last := -1
	for j := len(p.toks) - 1; j > from; j-- {
		if p.toks[j].kind == kSemi {
			last = j
			break
		}
	}
	if last < 0 && p.kind(from) == kSemi {
		return p.errAt(from, "an action is missing before ';', as in /x=1;")
	}
	if last < 0 {
		why := "actions must end with ';', as in /x=1;"
		if !p.edge {
			why = "INIT actions must end with ';', as in INIT: x=1;"
		}
		for _, off := range p.lineComments {
			if off > p.toks[i].off {
				why += `; note that whitespace followed by "//" starts a comment that runs to the end of the line, even inside a string`
				break
			}
		}
		return p.errAt(len(p.toks), why)
	}
	// The text after the last ';' is not a valid list of fields: say why.
	err := p.fields(last+1, &fieldSink{})
	if err == nil { // cannot happen: can[last+1] is false
		return p.errAt(last+1, "the text after the actions' last ';' is not valid")
	}
	se := err.(*SyntaxError)
	se.Reason += "; the actions end at the last ';' of the label, and what follows it must be valid fields"
	return se
}

func (p *parser) errUnexpected(i int) *SyntaxError {
	t := p.toks[i]
	txt := p.src[t.off:t.end]
	var why string
	switch t.kind {
	case kValue:
		if i > 0 && p.toks[i-1].kind == kValue {
			why = "numbers have no leading zeros (write 1 or 0.1, not 01)"
		} else {
			why = "names must start with a letter, '_' or '$'"
		}
	case kSemi:
		why = "';' only separates names (a;b) or ends an action"
	case kDot:
		why = "'.' only joins name parts (a.b)"
	case kStart:
		if p.edge {
			why = "Start is a keyword: it may only be the whole label of the start node, never an edge name"
		} else {
			why = "Start is a keyword: the start node's label is just Start; other vertices need another name"
		}
	case kWeight, kDependency:
		why = strings.ToLower(txt) + " is a keyword valid only in edge labels (and never as a name)"
	case kShared:
		why = "SHARED is valid only in vertex labels"
	case kInit:
		why = "INIT is valid only in vertex labels; edge actions follow '/'"
	case kBrackets:
		why = "guards [...] are valid only in edge labels"
	case kSlash:
		why = "a vertex has no '/' actions; use INIT: x=1; to initialise the model"
	case kColon, kAssign:
		why = "':' and '=' only follow SHARED, INIT, REQTAG, weight or dependency"
	case kAny:
		r, _ := utf8.DecodeRuneInString(txt)
		switch {
		case r == '[':
			why = "'[' has no matching ']'"
		case r >= 0x80 && r <= 0xFF:
			why = fmt.Sprintf("%q (U+%04X) is not allowed in names; GraphWalker accepts only ASCII letters and characters above U+00FF", r, r)
		}
	}
	if why == "" {
		if p.edge {
			why = "expected a name, [guard], /actions;, BLOCKED, weight=, dependency= or REQTAG:"
		} else {
			why = "expected a name, SHARED:, INIT:, BLOCKED or REQTAG:"
		}
	}
	return p.errAt(i, why)
}
