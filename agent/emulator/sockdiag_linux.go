package emulator

import (
	"encoding/binary"
	"fmt"
	"syscall"
)

// Netlink sock_diag constants (linux/sock_diag.h, linux/inet_diag.h).
const (
	netlinkInetDiag   = 4
	sockDiagByFamily  = 20
	inetDiagReqV2Len  = 56
	inetDiagMsgLen    = 72
	inetDiagMsgInode  = 68
	nlmsgHeaderLen    = 16
	nlmsgTypeError    = 2
	allTCPStatesMask  = 0xffffffff
	inetDiagNoCookie0 = 0xffffffff
)

// loopbackSocketInode asks the kernel (netlink sock_diag, an exact lookup)
// for the inode of the IPv4 loopback TCP socket whose local port is
// localPort and remote port remotePort. It costs tens of microseconds where
// reading /proc/net/tcp costs a millisecond on a busy machine.
func loopbackSocketInode(localPort, remotePort int) (uint32, error) {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, netlinkInetDiag)
	if err != nil {
		return 0, fmt.Errorf("netlink socket: %w", err)
	}
	defer syscall.Close(fd)
	if err := syscall.Bind(fd, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return 0, fmt.Errorf("netlink bind: %w", err)
	}

	msg := make([]byte, nlmsgHeaderLen+inetDiagReqV2Len)
	ne := binary.NativeEndian
	ne.PutUint32(msg[0:], uint32(len(msg)))
	ne.PutUint16(msg[4:], sockDiagByFamily)
	ne.PutUint16(msg[6:], syscall.NLM_F_REQUEST)
	ne.PutUint32(msg[8:], 1) // sequence
	req := msg[nlmsgHeaderLen:]
	req[0] = syscall.AF_INET
	req[1] = syscall.IPPROTO_TCP
	ne.PutUint32(req[4:], allTCPStatesMask)
	id := req[8:]
	binary.BigEndian.PutUint16(id[0:], uint16(localPort))
	binary.BigEndian.PutUint16(id[2:], uint16(remotePort))
	copy(id[4:], []byte{127, 0, 0, 1})  // source
	copy(id[20:], []byte{127, 0, 0, 1}) // destination
	ne.PutUint32(id[40:], inetDiagNoCookie0)
	ne.PutUint32(id[44:], inetDiagNoCookie0)

	if err := syscall.Sendto(fd, msg, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return 0, fmt.Errorf("netlink send: %w", err)
	}
	buf := make([]byte, 4096)
	n, _, err := syscall.Recvfrom(fd, buf, 0)
	if err != nil {
		return 0, fmt.Errorf("netlink receive: %w", err)
	}
	if n < nlmsgHeaderLen {
		return 0, fmt.Errorf("netlink: short reply")
	}
	if ne.Uint16(buf[4:]) == nlmsgTypeError {
		return 0, fmt.Errorf("netlink: socket not found")
	}
	if n < nlmsgHeaderLen+inetDiagMsgLen {
		return 0, fmt.Errorf("netlink: short inet_diag reply")
	}
	return ne.Uint32(buf[nlmsgHeaderLen+inetDiagMsgInode:]), nil
}
