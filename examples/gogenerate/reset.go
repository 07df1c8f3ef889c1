package gogenerate

import (
	"context"
	"fmt"

	"github.com/nlgen/nlgen/examples/gogenerate/out/go/counters"
)

// ResetAbove dumps every counter and resets those whose value exceeds
// limit, returning their ids. It is ordinary code on a generated client;
// reset_test.go tests it without a kernel through genltest.
func ResetAbove(ctx context.Context, c *counters.Client, limit uint64) ([]uint32, error) {
	all, err := c.DumpGetAll(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("list counters: %w", err)
	}
	var reset []uint32
	for _, ctr := range all {
		if v, ok := ctr.Value.Get(); !ok || v <= limit {
			continue
		}
		if err := c.Reset(ctx, &counters.ResetRequest{Id: ctr.Id}); err != nil {
			return reset, fmt.Errorf("reset counter %v: %w", ctr.Id, err)
		}
		reset = append(reset, ctr.Id.Value)
	}
	return reset, nil
}
