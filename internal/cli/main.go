package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strings"
)

// Version is gw's own version.
var Version = "0.1.0"

// GraphWalkerVersion is the GraphWalker release gw is compatible with.
// AltWalker reads the version from the first line of `gw --version`: the
// text after its last colon, numbers up to the first '-'. So that line is
// "gw version: 4.3.3-gw0.1.0", as GraphWalker's is
// "org.graphwalker version: 4.3.3-da913fe".
const GraphWalkerVersion = "4.3.3"

// versionLine is the first line of `gw --version`.
func versionLine() string {
	return "gw version: " + GraphWalkerVersion + "-gw" + Version
}

// Env is what a command sees of the process.
type Env struct {
	Args   []string // all arguments, for error messages
	Stdout io.Writer
	Stderr io.Writer
	Log    *slog.Logger
	Level  slog.Level
	LogOff bool
	// LogJSON: logs are JSON lines (--log-format json); LogFormatSet: the
	// flag was given.
	LogJSON, LogFormatSet bool
	// Ready, when set, is called by long-running commands once they serve
	// (tests use it to find the port).
	Ready func(addr string)
	// Stop, when set, ends long-running commands when closed (tests).
	Stop <-chan struct{}
	// StderrTerminal says stderr is a terminal: long offline walks show
	// their progress there.
	StderrTerminal bool
}

type command struct {
	name    string
	summary string
	epilog  string // printed after the options by `gw COMMAND --help`
	options func() *optionSet
	run     func(env *Env, opts *optionSet) error
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

func findCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// exitError carries an exit code with an already-worded message.
type exitError struct {
	code int
	msg  string // printed as is on stderr, followed by an empty line
}

func (e *exitError) Error() string { return e.msg }

func globalOptions() *optionSet {
	s := &optionSet{}
	s.add(&option{names: []string{"--debug", "-d"}, kind: optValue, def: "OFF",
		help: "Sets the log level. Valid log levels are: OFF, ERROR, WARN, INFO, DEBUG, TRACE, ALL. Logs go to stderr."})
	s.add(&option{names: []string{"--log-format"}, kind: optValue, def: "text",
		help: "How logs are written: text (key=value) or json (one JSON object a line, for log collectors) (gw only)."})
	s.add(&option{names: []string{"--help", "-h"}, kind: optSwitch, def: "false", help: "Show this message and exit."})
	s.add(&option{names: []string{"--version", "-v"}, kind: optSwitch, def: "false", help: "Show the gw version and exit."})
	return s
}

// Main runs gw with args (without the program name) and returns the exit
// code: 0 ok, 1 bad usage or model issues, 2 errors — as GraphWalker 4.3.
func Main(args []string, env *Env) int {
	out := bufio.NewWriterSize(env.Stdout, 64<<10)
	defer out.Flush()
	env.Args = args
	realOut := env.Stdout
	env.Stdout = out

	global := globalOptions()
	rest, err := global.parse(args, true)
	if err != nil {
		return reportError(env, err, realOut, out)
	}
	level, off, err := parseLevel(global.lookup("--debug"))
	if err != nil {
		return reportError(env, err, realOut, out)
	}
	env.Level, env.LogOff = level, off
	if o := global.lookup("--log-format"); o.set {
		switch strings.ToLower(o.value()) {
		case "json":
			env.LogJSON = true
		case "text":
		default:
			return reportError(env, usagef("Incorrect argument to --log-format (valid formats: text, json)"), realOut, out)
		}
		env.LogFormatSet = true
	}
	if env.Log == nil {
		env.Log = newFormatLogger(env.Stderr, level, off, env.LogJSON)
	}
	if global.lookup("--help").set {
		printUsage(out, nil)
		return 0
	}
	if global.lookup("--version").set {
		fmt.Fprintf(out, "%s\n\ngw %s is a model-based testing tool compatible with GraphWalker %s, open source under the MIT license.\n\n", versionLine(), Version, GraphWalkerVersion)
		return 0
	}
	if len(rest) == 0 {
		out.Flush()
		fmt.Fprint(env.Stderr, "Missing a command. Use the '--help' option to list all available commands.\n\n")
		return 1
	}
	cmd := findCommand(rest[0])
	if cmd == nil {
		out.Flush()
		fmt.Fprintf(env.Stderr, "Expected a command, got %s%s\n\n", rest[0], suggestCommand(rest[0]))
		return 1
	}
	opts := cmd.options()
	opts.command = cmd.name
	help := opts.add(&option{names: []string{"--help", "-h"}, kind: optSwitch, hidden: true})
	if _, err := opts.parse(rest[1:], false); err != nil {
		if help.set || containsHelp(rest[1:]) {
			printUsage(out, cmd)
			return 0
		}
		return reportError(env, err, realOut, out, cmd)
	}
	if help.set {
		printUsage(out, cmd)
		return 0
	}
	if err := cmd.run(env, opts); err != nil {
		return reportError(env, err, realOut, out, cmd)
	}
	// The last of the output is written here: a full disk must not pass
	// for success.
	if err := out.Flush(); err != nil {
		return reportError(env, err, realOut, out, cmd)
	}
	return 0
}

func containsHelp(args []string) bool {
	for _, a := range args {
		if a == "--help" || a == "-h" {
			return true
		}
	}
	return false
}

func reportError(env *Env, err error, realOut io.Writer, out *bufio.Writer, cmd ...*command) int {
	out.Flush()
	var ue *usageError
	var ee *exitError
	switch {
	case errors.As(err, &ue):
		// GraphWalker prints its whole usage after the error, burying it;
		// gw ends with the error and where to read more.
		help := "gw --help"
		if len(cmd) > 0 {
			help = "gw " + cmd[0].name + " --help"
		}
		fmt.Fprintf(env.Stderr, "An error occurred when running command: '%s'.\n%s\nRun '%s' for the options.\n", strings.Join(env.Args, " "), ue.msg, help)
		return 1
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprint(env.Stderr, ee.msg)
		}
		return ee.code
	}
	fmt.Fprintf(env.Stderr, "An error occurred when running command: '%s'.\n%s\n\n", strings.Join(env.Args, " "), err)
	return 2
}

func parseLevel(o *option) (slog.Level, bool, error) {
	v := "OFF"
	if o.set {
		v = o.value()
	}
	switch strings.ToUpper(v) {
	case "OFF":
		return 0, true, nil
	case "ERROR":
		return slog.LevelError, false, nil
	case "WARN":
		return slog.LevelWarn, false, nil
	case "INFO":
		return slog.LevelInfo, false, nil
	case "DEBUG":
		return slog.LevelDebug, false, nil
	case "TRACE", "ALL":
		return slog.LevelDebug - 4, false, nil
	}
	return 0, false, usagef("Incorrect argument to --debug (valid levels: OFF, ERROR, WARN, INFO, DEBUG, TRACE, ALL)")
}

func newLogger(w io.Writer, level slog.Level, off bool) *slog.Logger {
	return newFormatLogger(w, level, off, false)
}

// newFormatLogger is newLogger writing JSON lines when json is set
// (--log-format json).
func newFormatLogger(w io.Writer, level slog.Level, off, json bool) *slog.Logger {
	if off {
		return slog.New(slog.DiscardHandler)
	}
	if json {
		return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func suggestCommand(name string) string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	sort.Strings(names)
	return fmt.Sprintf(" (commands: %s)", strings.Join(names, ", "))
}

func printUsage(w io.Writer, only *command) {
	if only != nil {
		opts := only.options()
		main := ""
		if opts.mainParam != "" {
			main = " " + opts.mainParam
		}
		fmt.Fprintf(w, "Usage: gw [options] %s [command options]%s\n  %s\n", only.name, main, only.summary)
		printOptions(w, opts, "    ")
		if only.epilog != "" {
			fmt.Fprintf(w, "\n%s", only.epilog)
		}
		return
	}
	// GraphWalker lists every command's options here (260 lines); gw lists
	// the commands and leaves their options to `gw COMMAND --help`.
	fmt.Fprintln(w, "Usage: gw [options] [command] [command options]")
	printOptions(w, globalOptions(), "    ")
	fmt.Fprintln(w, "  Commands:")
	for _, c := range commandsInHelpOrder() {
		fmt.Fprintf(w, "    %-12s %s\n", c.name, firstSentence(c.summary))
	}
	fmt.Fprintln(w, "\nRun 'gw COMMAND --help' for a command's options, e.g. gw offline --help.")
}

// firstSentence shortens a summary for the command list.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

func printOptions(w io.Writer, s *optionSet, indent string) {
	opts := append([]*option(nil), s.opts...)
	sort.SliceStable(opts, func(i, j int) bool { return opts[i].names[0] < opts[j].names[0] })
	fmt.Fprintf(w, "%sOptions:\n", indent[:len(indent)-2])
	for _, o := range opts {
		if o.hidden {
			continue
		}
		names := strings.Join(o.names, ", ")
		if o.required {
			names = "* " + names
		}
		fmt.Fprintf(w, "%s%s\n", indent, names)
		for _, line := range wrap(o.help, 72) {
			fmt.Fprintf(w, "%s  %s\n", indent, line)
		}
		if o.def != "" {
			fmt.Fprintf(w, "%s  Default: %s\n", indent, o.def)
		}
	}
}

func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// Run is Main on the real process streams.
func Run() int {
	return Main(os.Args[1:], &Env{Stdout: os.Stdout, Stderr: os.Stderr, StderrTerminal: isTerminal(os.Stderr)})
}

// commandsInHelpOrder lists the commands in GraphWalker's help order, then
// any others.
func commandsInHelpOrder() []*command {
	order := []string{"offline", "online", "methods", "requirements", "convert", "source", "check"}
	var out []*command
	for _, name := range order {
		if c := findCommand(name); c != nil {
			out = append(out, c)
		}
	}
	for _, c := range commands {
		if !slices.Contains(order, c.name) {
			out = append(out, c)
		}
	}
	return out
}
