package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gw-project/gw/internal/inputfile"
	"github.com/gw-project/gw/internal/limits"
)

// GraphWalker parses options with JCommander; this parser follows its rules
// because scripts and AltWalker depend on them: values are separate
// arguments, switches take no value, some options take two values, and a
// non-list option may be given only once.

// usageError is JCommander's ParameterException: exit 1 with the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

type optKind int

const (
	optSwitch optKind = iota // no value
	optValue                 // one value
	optPair                  // two values (--model FILE GENERATOR)
)

type option struct {
	names    []string // e.g. "--model", "-m"
	aliases  []string // old names, accepted but not shown in --help
	kind     optKind
	repeat   bool
	help     string
	def      string // default shown in help
	required bool
	hidden   bool

	set    bool
	values [][]string
}

func (o *option) value() string {
	if len(o.values) == 0 {
		return ""
	}
	return o.values[len(o.values)-1][0]
}

type optionSet struct {
	opts    []*option
	command string // for messages; "" for the global options
	// mainParam, when set, names the command's positional arguments (for
	// help and errors, e.g. "RECORD"); they are collected in args.
	mainParam string
	args      []string
}

func (s *optionSet) add(o *option) *option { s.opts = append(s.opts, o); return o }

func (s *optionSet) lookup(name string) *option {
	for _, o := range s.opts {
		if slices.Contains(o.names, name) || slices.Contains(o.aliases, name) {
			return o
		}
	}
	return nil
}

// parse consumes args; it stops at the first argument that is not an option
// when stopAtPositional is set (the command name after global options), and
// returns the rest.
func (s *optionSet) parse(args []string, stopAtPositional bool) ([]string, error) {
	args, err := expandAtFiles(args)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		o := s.lookup(a)
		if o == nil {
			if stopAtPositional {
				return args[i:], nil
			}
			if s.mainParam != "" && (!strings.HasPrefix(a, "-") || a == "-") {
				s.args = append(s.args, a)
				continue
			}
			if strings.HasPrefix(a, "-") && len(a) > 1 {
				if eq := strings.IndexByte(a, '='); eq > 0 && s.lookup(a[:eq]) != nil {
					return nil, usagef("Unexpected argument '%s': write the value after a space: %s %s", a, a[:eq], a[eq+1:])
				}
				if split := s.splitShortSwitches(a); split != "" {
					return nil, usagef("Unknown option: %s; switches are written one by one: %s", a, split)
				}
				if s.command != "" && globalOptions().lookup(a) != nil {
					return nil, usagef("Unknown option: %s; it is a global option, written before the command: gw %s ... %s ...", a, a, s.command)
				}
				return nil, usagef("Unknown option: %s", a)
			}
			return nil, usagef("Unexpected argument '%s': %s", a, s.positionalHint(args, i))
		}
		if o.set && !o.repeat {
			return nil, usagef("Can only specify option %s once.", a)
		}
		o.set = true
		switch o.kind {
		case optSwitch:
			o.values = append(o.values, []string{"true"})
		case optValue:
			if i+1 >= len(args) {
				return nil, usagef("Expected a value after parameter %s", a)
			}
			o.values = append(o.values, []string{args[i+1]})
			i++
		case optPair:
			if i+2 >= len(args) {
				return nil, usagef("Expected 2 values after %s", a)
			}
			// "-m FILE --record DIR GENERATOR" would take --record as the
			// generator and then fail on DIR with a puzzling message.
			for _, v := range args[i+1 : i+3] {
				if strings.HasPrefix(v, "-") && s.lookup(v) != nil {
					return nil, usagef("%s takes 2 values, a file and a generator (%s FILE \"random(edge_coverage(100))\"), but the option %s came among them: write %s elsewhere on the command line", a, a, v, v)
				}
			}
			o.values = append(o.values, []string{args[i+1], args[i+2]})
			i += 2
		}
	}
	for _, o := range s.opts {
		if o.required && !o.set {
			return nil, usagef("The following option is required: [%s]", strings.Join(o.names, " | "))
		}
	}
	return nil, nil
}

// expandAtFiles replaces an argument @FILE by the lines of FILE. FILE is
// read through the --max-file-size limit given among args, if any.
func expandAtFiles(args []string) ([]string, error) {
	max := inputfile.DefaultMax
	for i, a := range args {
		if a == inputfile.Flag && i+1 < len(args) {
			if n, err := limits.ParseSize(args[i+1]); err == nil && n > 0 {
				max = n
			}
		}
	}
	var out []string
	for _, a := range args {
		if len(a) > 1 && a[0] == '@' {
			data, err := inputfile.Read(a[1:], max)
			if err != nil {
				return nil, usagef("Could not read file %s: %s", a[1:], pathError(a[1:], err))
			}
			for _, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					out = append(out, line)
				}
			}
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, usagef("\"%s\": couldn't convert \"%s\" to a boolean", name, v)
}

func parseInt(name, v string) (int, error) {
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, usagef("\"%s\": couldn't convert \"%s\" to an integer", name, v)
	}
	return int(n), nil
}

func parseLong(name, v string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, usagef("\"%s\": couldn't convert \"%s\" to a long", name, v)
	}
	return n, nil
}

// name returns the spelling the user typed for o (for messages).
func (o *option) name() string { return o.names[0] }

// positionalHint says which option an argument that belongs to none was
// probably meant for (GraphWalker: "Was passed main parameter 'X' but no
// main parameter was defined in your arg class").
func (s *optionSet) positionalHint(args []string, i int) string {
	a := args[i]
	if i > 0 {
		if prev := s.lookup(args[i-1]); prev != nil && prev.kind == optSwitch {
			return fmt.Sprintf("%s is a switch and takes no value; write %s alone", args[i-1], args[i-1])
		}
	}
	if i > 0 && strings.Count(args[i-1], "(") > strings.Count(args[i-1], ")") {
		return fmt.Sprintf("the generator was split at its spaces; quote it whole: \"%s %s…\"", args[i-1], a)
	}
	model := s.lookup("--model")
	input := s.lookup("--input")
	ext := strings.ToLower(extension(a))
	isFile := ext == "json" || ext == "graphml" || ext == "dot"
	switch {
	case isFile && model != nil && model.kind == optPair:
		return fmt.Sprintf("a model file is given with its generator: --model %s \"random(edge_coverage(100))\"", a)
	case isFile && model != nil:
		return fmt.Sprintf("a model file is given with --model: --model %s", a)
	case isFile && input != nil && input.kind == optPair:
		return fmt.Sprintf("the model file and the template are given with --input: --input %s TEMPLATE", a)
	case isFile && input != nil:
		return fmt.Sprintf("the model file is given with --input: --input %s", a)
	case strings.Contains(a, "(") && model != nil && model.kind == optPair:
		return fmt.Sprintf("a generator follows its model file, quoted: --model FILE \"%s\"", a)
	case strings.Contains(a, "("):
		return "a generator and stop condition is one argument: quote it, e.g. \"random(edge_coverage(100) and length(50))\""
	}
	what := "gw " + s.command
	if s.command == "" {
		what = "gw"
	}
	return what + " takes options only, no other arguments"
}

// splitShortSwitches returns "-o -u" for "-ou" when -o and -u are
// switches of s, else "".
func (s *optionSet) splitShortSwitches(a string) string {
	if len(a) < 3 || a[0] != '-' || a[1] == '-' {
		return ""
	}
	var parts []string
	for _, c := range a[1:] {
		o := s.lookup("-" + string(c))
		if o == nil || o.kind != optSwitch {
			return ""
		}
		parts = append(parts, "-"+string(c))
	}
	return strings.Join(parts, " ")
}
