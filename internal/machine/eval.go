package machine

import (
	"fmt"
)

// Check evaluates expr, a JavaScript boolean expression, in the current
// model's scope (the global one when it mentions "global."), as a guard
// is evaluated: a debugger's conditional breakpoint, or a question about
// the data. It is an operation of its own (one deadline) unless run
// between Begin and End.
func (m *Machine) Check(expr string) (bool, error) {
	m.sb.Begin()
	defer m.sb.End()
	c := m.current
	p, err := m.compile(c, expr, "expression")
	if err != nil {
		return false, err
	}
	env := c.env
	if p.global {
		env = m.global
	}
	ok, err := env.Bool(p.Program)
	if err != nil {
		return false, fmt.Errorf("expression %q: %w", expr, err)
	}
	return ok, nil
}
