// Command netdevs lists this machine's network devices through the netdev
// client nlgen generates from the kernel's own netdev.yaml:
//
//	go run ./examples/netdevs
//
// The generated package (netdev/) is committed; the directive below
// regenerates it from nlgen.yaml when the upstream spec is present, and the
// example's test fails when the committed code is stale.
package main

//go:generate go run github.com/nlgen/nlgen/cmd/nlgen generate -f nlgen.yaml

import (
	"context"
	"fmt"
	"os"

	"github.com/nlgen/nlgen/examples/netdevs/netdev"
	"github.com/nlgen/nlgen/runtime/genl"
)

func main() {
	conn, err := genl.Dial(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "netdevs:", err)
		os.Exit(1)
	}
	defer conn.Close()
	for dev, err := range netdev.NewClient(conn).DumpDevGet(context.Background(), nil) {
		if err != nil {
			fmt.Fprintln(os.Stderr, "netdevs:", err)
			os.Exit(1)
		}
		fmt.Printf("ifindex %d xdp-features %v\n", dev.Ifindex.Value, dev.XdpFeatures.Value)
	}
}
