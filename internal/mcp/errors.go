package mcp

import (
	"errors"
	"fmt"

	"github.com/gw-project/gw/internal/limits"
)

var errShutdown = errors.New("the gw MCP server is shutting down; reconnect to a running one")

// limitError is a limit of this server that a call hit: its message says
// what, which limit, and the flag that raises it.
func limitError(what, limit, flag string, kind error) error {
	return &limits.Error{What: what, Limit: limit, Flag: flag, Kind: kind}
}

// inputError is bad input the schema could not catch; the message says
// what to send instead.
func inputError(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}
