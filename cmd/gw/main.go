// Command gw is a model-based testing tool compatible with GraphWalker 4.3.
// Run `gw --help` for the commands.
package main

import (
	"os"

	"github.com/gw-project/gw/internal/cli"
)

func main() { os.Exit(cli.Run()) }
