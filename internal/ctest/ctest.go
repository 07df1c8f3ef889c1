// Package ctest is how tests compile generated C. nlgen promises that
// every C output of a spec it accepts compiles with gcc and mingw-w64
// under Flags, so every compile test takes its flags and compilers from
// here instead of spelling them itself.
package ctest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Flags are the flags of every compile test.
var Flags = []string{"-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"}

// The two compilers: the host's gcc for Linux userspace and the C parts
// of the tests, mingw-w64 for the Windows driver and userspace.
const (
	GCC   = "gcc"
	MinGW = "x86_64-w64-mingw32-gcc"
)

// Compilers are both, in the order tests run them.
var Compilers = []string{GCC, MinGW}

// Need skips the test when cc is missing; .ci/run installs both.
func Need(t testing.TB, cc string) {
	t.Helper()
	if _, err := exec.LookPath(cc); err != nil {
		t.Skipf("%s is not installed (.ci/run installs it: apt-get install gcc gcc-mingw-w64-x86-64)", cc)
	}
}

// Run compiles with cc, Flags and args, returning the compiler's output.
func Run(cc string, args ...string) ([]byte, error) {
	return exec.Command(cc, append(append([]string{}, Flags...), args...)...).CombinedOutput()
}

// Compile runs cc with Flags and args and fails the test on any
// diagnostic.
func Compile(t testing.TB, cc string, args ...string) {
	t.Helper()
	Need(t, cc)
	if out, err := Run(cc, args...); err != nil {
		t.Fatalf("%s %v: %v\n%s", cc, args, err, out)
	}
}

// LinuxTypes writes a folder holding linux/types.h with the kernel's
// fixed-width and byte-order types, for compilers that target Windows
// (mingw-w64 has no Linux headers); the uapi headers need nothing else.
// It returns the folder to pass with -I.
func LinuxTypes(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	src := `#ifndef CTEST_LINUX_TYPES_H
#define CTEST_LINUX_TYPES_H
#include <stdint.h>
typedef uint8_t __u8;
typedef int8_t __s8;
typedef uint16_t __u16;
typedef int16_t __s16;
typedef uint32_t __u32;
typedef int32_t __s32;
typedef uint64_t __u64;
typedef int64_t __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;
typedef __u16 __le16;
typedef __u32 __le32;
typedef __u64 __le64;
#endif
`
	if err := os.MkdirAll(filepath.Join(dir, "linux"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "linux", "types.h"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
