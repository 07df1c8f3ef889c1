//go:build !linux

package genl

// errnoIsSyscall: outside Linux the syscall package numbers errors
// differently (Windows uses Win32 codes), so only Errno comparisons hold.
func errnoIsSyscall(Errno, error) bool { return false }
