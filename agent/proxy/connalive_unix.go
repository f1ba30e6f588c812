//go:build unix

package proxy

import (
	"net"
	"syscall"
)

// connAlive reports whether an idle kept-alive connection may be used
// again: the peer has not closed it (a read would return end of file) and
// has sent nothing unasked. It peeks without blocking, one system call.
func connAlive(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	alive := false
	var buf [1]byte
	err = rc.Read(func(fd uintptr) bool {
		_, _, rerr := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		// Nothing to read yet (EAGAIN) is the one healthy answer; end of
		// file (no error, no byte) or bytes nobody asked for are not.
		alive = rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK
		return true
	})
	return err == nil && alive
}
