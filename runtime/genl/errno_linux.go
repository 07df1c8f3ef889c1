//go:build linux

package genl

import "syscall"

// errnoIsSyscall lets errors.Is(err, syscall.ENOENT) and
// errors.Is(err, os.ErrNotExist) work on Linux, where genl numbering and
// syscall numbering coincide.
func errnoIsSyscall(e Errno, target error) bool {
	if t, ok := target.(syscall.Errno); ok {
		return int(t) == int(e)
	}
	return syscall.Errno(e).Is(target)
}

// errnoFromSyscall converts a syscall error number to Errno.
func errnoFromSyscall(e syscall.Errno) Errno { return Errno(e) }
