package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"
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
	opts []*option
	// mainParam, when set, names the command's positional arguments (for
	// help and errors, e.g. "RECORD"); they are collected in args.
	mainParam string
	args      []string
}

func (s *optionSet) add(o *option) *option { s.opts = append(s.opts, o); return o }

func (s *optionSet) lookup(name string) *option {
	for _, o := range s.opts {
		for _, n := range o.names {
			if n == name {
				return o
			}
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
					return nil, usagef("Was passed main parameter '%s' but no main parameter was defined in your arg class (write %s %s, with a space)", a, a[:eq], a[eq+1:])
				}
				return nil, usagef("Unknown option: %s (run with --help to list the options)", a)
			}
			return nil, usagef("Was passed main parameter '%s' but no main parameter was defined in your arg class", a)
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

// expandAtFiles replaces an argument @FILE by the lines of FILE.
func expandAtFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if len(a) > 1 && a[0] == '@' {
			data, err := os.ReadFile(a[1:])
			if err != nil {
				return nil, usagef("Could not read file %s: %v", a[1:], err)
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
