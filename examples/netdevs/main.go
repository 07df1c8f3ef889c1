//go:build nlgen_example

// Command netdevs lists this machine's network devices through the netdev
// client nlgen generates from the kernel's netdev.yaml. The generated
// package is not committed (it comes from ../shared specs); the live test
// in gen/golang generates it into gen/golang/testdata/live and builds this
// program with -tags nlgen_example:
//
//	go test -run TestLiveKernel ./gen/golang && go run -tags nlgen_example ./examples/netdevs
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/nlgen/nlgen/gen/golang/testdata/live/netdev"
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
