//go:build !linux

package emulator

import "errors"

// loopbackSocketInode needs Linux's netlink sock_diag. Elsewhere (macOS,
// where developers run `lambdawaf serve`) it reports failure and
// socketOwner takes its /proc path, which finds nothing there either: calls
// are then not attributed to a process.
func loopbackSocketInode(localPort, remotePort int) (uint32, error) {
	return 0, errors.New("sock_diag is available on Linux only")
}
