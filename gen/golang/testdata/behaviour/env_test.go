package golang

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The behaviour tests run in TestBehaviour's temporary module (see
// gen/golang/behaviour_test.go), which tells them where to find what lies
// outside it.

// testdataPath is rel inside gen/golang/testdata.
func testdataPath(t *testing.T, rel string) string {
	t.Helper()
	return filepath.Join(fromEnv(t, "NLGEN_TESTDATA"), filepath.FromSlash(rel))
}

// generatedC is rel inside the C TestBehaviour generated, laid out as
// nlgen.yaml lays out out/ (include/, datapath-windows/ovsext/).
func generatedC(t *testing.T, rel string) string {
	t.Helper()
	return filepath.Join(fromEnv(t, "NLGEN_GENERATED_C"), filepath.FromSlash(rel))
}

// compileC runs gcc with the project's C flags (internal/ctest.Flags).
func compileC(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Fatalf("gcc is required to build the C side: %v", err)
	}
	flags := strings.Fields(fromEnv(t, "NLGEN_CFLAGS"))
	return exec.Command("gcc", append(flags, args...)...).CombinedOutput()
}

func fromEnv(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: these tests run inside TestBehaviour (go test ./gen/golang -run TestBehaviour)", name)
	}
	return v
}
