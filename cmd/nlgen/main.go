// Command nlgen generates both sides of a netlink interface from YNL specs.
package main

import (
	"os"

	"github.com/nlgen/nlgen/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
