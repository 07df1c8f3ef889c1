//go:build !linux

package genl

import (
	"errors"
	"strings"
	"testing"
)

func TestDialRawUnavailable(t *testing.T) {
	c, err := DialRaw(ProtoRoute, nil)
	if c != nil || !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "NETLINK_ROUTE is not available") {
		t.Fatalf("DialRaw(NETLINK_ROUTE) = %v, %v", c, err)
	}
}
