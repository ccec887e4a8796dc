package script

import "strings"

// goja's parser and compiler recurse once per level of nesting — brackets,
// but also chains of operators (`a+a+…` builds a left-deep tree),
// statements (`if(1)if(1)…`, labels) and template literals — and a Go stack
// overflow is fatal to the whole process, not an error. So every script is
// measured before it reaches the parser: nesting is an upper bound of the
// parser's depth, computed by a small tokenizer.
//
// The bound must not be fooled by brackets inside strings, comments and
// regular expressions, so the tokenizer tells them apart; the one thing it
// cannot always decide without parsing is whether a '/' starts a regular
// expression or divides. Where its rules are not certain, it stops trusting
// itself for the rest of the script: from there on every bracket and
// operator character counts as a level and nothing closes one, whatever
// mode the text seems to be in. That only over-estimates.

type frameKind uint8

const (
	frameParen        frameKind = iota // ( … ) of a call, grouping or parameters
	frameControl                       // ( … ) after if, for, while, with, switch, catch
	frameBracket                       // [ … ]
	frameBlock                         // { … } statement block: a '/' after it is a regex
	frameObject                        // { … } in an expression: a '/' after it divides
	frameUnknownBrace                  // { … } the rules cannot classify
	frameTemplate                      // ${ … } inside a template literal
)

type frame struct {
	kind  frameKind
	chain int // operators and keywords since the last ';' or ',' in this frame
}

type prevKind uint8

const (
	prevNone      prevKind = iota // start, or a punctuator after which an expression starts
	prevOperand                   // identifier, literal, ')' of a call, ']', '}' of an object
	prevRegexOK                   // ')' of if/while…, '}' of a block, keyword: '/' is a regex
	prevUncertain                 // the rules cannot tell
)

// depthKeywords add a level each: statements that nest another statement,
// and prefix operators written as words.
var depthKeywords = map[string]bool{
	"if": true, "else": true, "for": true, "while": true, "do": true, "with": true,
	"new": true, "typeof": true, "void": true, "delete": true, "await": true, "yield": true,
	"return": true, "throw": true, "case": true, "in": true, "instanceof": true, "of": true,
	"function": true, "class": true, "extends": true, "switch": true, "try": true, "catch": true,
	"finally": true, "async": true,
}

// regexAfter are keywords after which a '/' starts a regular expression.
var regexAfter = map[string]bool{
	"return": true, "typeof": true, "instanceof": true, "in": true, "new": true, "delete": true,
	"void": true, "throw": true, "case": true, "do": true, "else": true, "extends": true,
}

// uncertainAfter are words that are keywords in some contexts and names in
// others, so a '/' after them may be either.
var uncertainAfter = map[string]bool{"yield": true, "await": true, "of": true, "let": true, "async": true, "get": true, "set": true, "static": true}

var controlKeywords = map[string]bool{"if": true, "for": true, "while": true, "with": true, "switch": true, "catch": true}

var blockAfterKeyword = map[string]bool{"else": true, "do": true, "try": true, "finally": true}

// nesting returns an upper bound of how deeply src nests, the byte offset
// where that depth was first reached, and the groups of built-ins the
// script can reach beyond the base ones.
func nesting(src string) (depth, at int, needs group) {
	n := &nester{src: src, stack: []frame{{kind: frameBlock}}}
	n.run()
	needs = n.needs
	if n.uncertain {
		needs = groupAll
	}
	if strings.Contains(src, "function") && strings.Contains(src, "*") {
		needs |= groupGenerators
	}
	return n.max, n.maxAt, needs
}

type nester struct {
	src   string
	i     int
	stack []frame
	total int // len(stack)-1 + Σ chains
	max   int
	maxAt int

	prev      prevKind
	prevWord  string // last identifier or keyword, when prev came from one
	prevPunct byte   // last punctuator character
	// resetNext is set by ';', ',' and the end of a block, and clears the
	// chain unless the next token is 'else'.
	resetNext bool
	uncertain bool
	lastWasFn bool // 'function' keyword seen and its body not yet opened
	fnIsDecl  bool
	needs     group
}

func (n *nester) bump(k int) {
	n.total += k
	if n.total > n.max {
		n.max, n.maxAt = n.total, n.i
	}
}

func (n *nester) top() *frame { return &n.stack[len(n.stack)-1] }

func (n *nester) push(k frameKind) {
	n.stack = append(n.stack, frame{kind: k})
	n.bump(1)
}

func (n *nester) pop() frameKind {
	if len(n.stack) == 1 {
		return frameParen // unbalanced: nothing to close
	}
	f := n.stack[len(n.stack)-1]
	n.stack = n.stack[:len(n.stack)-1]
	n.total -= 1 + f.chain
	return f.kind
}

func (n *nester) chain() {
	if n.resetNext {
		n.resetNext = false
		n.total -= n.top().chain
		n.top().chain = 0
	}
	n.top().chain++
	n.bump(1)
}

func (n *nester) settle(word string) {
	if n.resetNext && word != "else" {
		n.resetNext = false
		n.total -= n.top().chain
		n.top().chain = 0
	}
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || c == '\\'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

func (n *nester) run() {
	src := n.src
	for n.i < len(src) {
		if n.uncertain {
			n.countRest()
			return
		}
		c := src[n.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			n.i++
		case c == '/' && n.i+1 < len(src) && src[n.i+1] == '/':
			n.skipLineComment()
		case c == '/' && n.i+1 < len(src) && src[n.i+1] == '*':
			n.skipBlockComment()
		case c == '"' || c == '\'':
			n.settle("")
			n.skipString(c)
			n.prev = prevOperand
		case c == '`':
			n.settle("")
			n.chain()
			n.templateText(true)
		case c >= '0' && c <= '9' || c == '.' && n.i+1 < len(src) && src[n.i+1] >= '0' && src[n.i+1] <= '9':
			n.settle("")
			n.skipNumber()
			n.prev = prevOperand
		case isIdentStart(c):
			n.word()
		case c == '/':
			n.settle("")
			switch n.prev {
			case prevOperand:
				n.i++
				if n.i < len(src) && src[n.i] == '=' {
					n.i++
				}
				n.chain()
				n.prev, n.prevPunct = prevNone, '/'
			case prevUncertain:
				n.uncertain = true
			default:
				n.skipRegex()
				n.needs |= groupRegExp
				n.prev = prevOperand
			}
		default:
			n.punct(c)
		}
	}
}

func (n *nester) word() {
	src := n.src
	start := n.i
	for n.i < len(src) && isIdentPart(src[n.i]) {
		if src[n.i] == '\\' { // \uXXXX in a name
			n.i++
		}
		n.i++
	}
	w := src[start:min(n.i, len(src))]
	n.needs |= groupWords[w]
	afterDot := n.prevPunct == '.' && n.prev == prevNone
	n.settle(w)
	n.prevPunct = 0
	if afterDot { // a property name, whatever it spells
		n.prev, n.prevWord = prevOperand, ""
		return
	}
	if depthKeywords[w] {
		n.chain()
	}
	if w == "function" {
		n.lastWasFn = true
		// A declaration when it starts a statement.
		n.fnIsDecl = n.prev == prevNone && (n.prevPunct == 0 || n.prevPunct == ';' || n.prevPunct == '{' || n.prevPunct == '}')
	}
	n.prevWord = w
	switch {
	case regexAfter[w]:
		n.prev = prevRegexOK
	case uncertainAfter[w]:
		n.prev = prevUncertain
	case w == "this" || w == "super" || w == "null" || w == "true" || w == "false":
		n.prev = prevOperand
	case depthKeywords[w] || blockAfterKeyword[w]:
		n.prev = prevRegexOK
	default:
		n.prev = prevOperand
	}
}

func (n *nester) punct(c byte) {
	src := n.src
	n.i++
	switch c {
	case '(':
		n.settle("")
		k := frameParen
		if n.prevWord != "" && controlKeywords[n.prevWord] && n.prev == prevRegexOK {
			k = frameControl
		}
		n.push(k)
		n.prev, n.prevWord, n.prevPunct = prevNone, "", '('
	case '[':
		n.settle("")
		n.push(frameBracket)
		n.prev, n.prevWord, n.prevPunct = prevNone, "", '['
	case '{':
		n.settle("")
		n.push(n.braceKind())
		n.lastWasFn = false
		n.prev, n.prevWord, n.prevPunct = prevNone, "", '{'
	case ')':
		if n.pop() == frameControl {
			n.prev = prevRegexOK
		} else {
			n.prev = prevOperand
		}
		n.prevWord, n.prevPunct = "", ')'
		return
	case ']':
		n.pop()
		n.prev, n.prevWord, n.prevPunct = prevOperand, "", ']'
	case '}':
		switch n.pop() {
		case frameTemplate:
			n.templateText(false)
			return
		case frameBlock:
			n.prev = prevRegexOK
			n.resetNext = true
		case frameObject:
			n.prev = prevOperand
		default:
			n.prev = prevUncertain
			n.resetNext = true
		}
		n.prevWord, n.prevPunct = "", '}'
	case ';', ',':
		n.settle("")
		n.resetNext = true
		n.prev, n.prevWord, n.prevPunct = prevNone, "", c
	case '.':
		n.settle("")
		if n.i+1 < len(src) && src[n.i] == '.' && src[n.i+1] == '.' {
			n.i += 2 // spread
			n.chain()
			n.prev, n.prevWord, n.prevPunct = prevNone, "", 0
			return
		}
		n.prev, n.prevWord, n.prevPunct = prevNone, "", '.'
	case '+', '-':
		n.settle("")
		if n.i < len(src) && src[n.i] == c { // ++ or --
			n.i++
			n.chain()
			if n.prev == prevOperand {
				return // postfix: still an operand
			}
			n.prev, n.prevWord, n.prevPunct = prevNone, "", c
			return
		}
		n.operator()
	case '?':
		n.settle("")
		if n.i < len(src) && src[n.i] == '.' && !(n.i+1 < len(src) && src[n.i+1] >= '0' && src[n.i+1] <= '9') {
			n.i++ // optional chaining ?.
			n.prev, n.prevWord, n.prevPunct = prevNone, "", '.'
			return
		}
		n.operator()
	case '=':
		n.settle("")
		n.operator()
	case '#', '@':
		n.settle("")
		n.prev, n.prevWord, n.prevPunct = prevOperand, "", 0
	default:
		n.settle("")
		n.operator()
	}
}

// operators lists multi-character operator tokens, longest first; any
// other operator character is a token of its own.
var operators = []string{">>>=", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
	"==", "!=", "<=", ">=", "&&", "||", "??", "**", "+=", "-=", "*=", "%=", "&=", "|=", "^=", "<<", ">>", "=>"}

// operator consumes the rest of the operator token whose first character
// (at n.i-1) was just read, and counts it.
func (n *nester) operator() {
	start := n.i - 1
	for _, op := range operators {
		if strings.HasPrefix(n.src[start:], op) {
			n.i = start + len(op)
			break
		}
	}
	n.chain()
	n.prev, n.prevWord, n.prevPunct = prevNone, "", '='
}

// braceKind classifies a '{' by what precedes it.
func (n *nester) braceKind() frameKind {
	switch {
	case n.lastWasFn:
		if n.fnIsDecl {
			return frameBlock
		}
		return frameObject // a function expression's body: an operand
	case n.prev == prevRegexOK && n.prevPunct == ')': // if (…) {
		return frameBlock
	case n.prevPunct == 0 && n.prev == prevNone && n.prevWord == "":
		return frameBlock // start of the script
	case n.prevPunct == ';' || n.prevPunct == '}':
		return frameBlock
	case n.prevPunct == '{':
		if n.top().kind == frameBlock {
			return frameBlock
		}
		return frameUnknownBrace
	case blockAfterKeyword[n.prevWord] && n.prev == prevRegexOK:
		return frameBlock
	case n.prevPunct == '=' && n.i >= 3 && n.src[n.i-3:n.i-1] == "=>":
		return frameBlock // arrow body: the arrow ends an expression, a '/' after it starts one
	case n.prev == prevNone:
		return frameObject // after '(', '[', ',', '=', an operator or 'return'-like words
	case n.prev == prevRegexOK && (n.prevWord == "return" || n.prevWord == "typeof" || n.prevWord == "case" || n.prevWord == "in" || n.prevWord == "instanceof" || n.prevWord == "new" || n.prevWord == "delete" || n.prevWord == "void" || n.prevWord == "throw"):
		return frameObject
	}
	return frameUnknownBrace
}

func (n *nester) skipLineComment() {
	for n.i < len(n.src) && n.src[n.i] != '\n' && n.src[n.i] != '\r' {
		n.i++
	}
}

func (n *nester) skipBlockComment() {
	n.i += 2
	for n.i < len(n.src) {
		if n.src[n.i] == '*' && n.i+1 < len(n.src) && n.src[n.i+1] == '/' {
			n.i += 2
			return
		}
		n.i++
	}
}

func (n *nester) skipString(q byte) {
	n.i++
	for n.i < len(n.src) {
		switch n.src[n.i] {
		case '\\':
			n.i += 2
			continue
		case q:
			n.i++
			return
		case '\n', '\r':
			return // unterminated: the parser stops here
		}
		n.i++
	}
}

func (n *nester) skipNumber() {
	for n.i < len(n.src) {
		c := n.src[n.i]
		if isIdentPart(c) || c == '.' || (c == '+' || c == '-') && (n.src[n.i-1] == 'e' || n.src[n.i-1] == 'E') {
			n.i++
			continue
		}
		return
	}
}

func (n *nester) skipRegex() {
	n.i++ // the opening '/'
	inClass := false
	for n.i < len(n.src) {
		switch c := n.src[n.i]; {
		case c == '\\':
			n.i += 2
			continue
		case c == '\n' || c == '\r':
			return // not a regex after all; the parser fails here
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '/' && !inClass:
			n.i++
			for n.i < len(n.src) && isIdentPart(n.src[n.i]) {
				n.i++ // flags
			}
			return
		}
		n.i++
	}
}

// templateText scans template literal text up to its end or to a '${',
// which opens a frame. n.i is just past the '`' or the '}'.
func (n *nester) templateText(opening bool) {
	if opening {
		n.i++
	}
	for n.i < len(n.src) {
		switch n.src[n.i] {
		case '\\':
			n.i += 2
			continue
		case '`':
			n.i++
			n.prev, n.prevWord, n.prevPunct = prevOperand, "", 0
			return
		case '$':
			if n.i+1 < len(n.src) && n.src[n.i+1] == '{' {
				n.i += 2
				n.push(frameTemplate)
				n.prev, n.prevWord, n.prevPunct = prevNone, "", '{'
				return
			}
		}
		n.i++
	}
}

// countRest is the untrusting mode: every bracket or operator character
// and every keyword from here on adds a level.
func (n *nester) countRest() {
	src := n.src
	for n.i < len(src) {
		c := src[n.i]
		if isIdentStart(c) {
			start := n.i
			for n.i < len(src) && isIdentPart(src[n.i]) {
				n.i++
			}
			if depthKeywords[src[start:n.i]] {
				n.bump(1)
			}
			continue
		}
		switch c {
		case '(', '[', '{', '`', '!', '~', '+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '=', '?', ':':
			n.bump(1)
		}
		n.i++
	}
}
