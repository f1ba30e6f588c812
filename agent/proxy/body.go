package proxy

import (
	"fmt"
	"io"
	"net/http"
)

// readBody reads a whole upstream body, in one allocation when the length
// is declared (events are up to 6 MB; growing a buffer to that size would
// copy it several times).
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= maxPrealloc {
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, fmt.Errorf("read %d-byte body: %w", n, err)
		}
		return buf, nil
	}
	return io.ReadAll(resp.Body)
}

// maxPrealloc bounds the allocation readBody trusts a Content-Length for.
const maxPrealloc = 32 << 20

// readAtMost reads r to EOF if it holds at most limit bytes. Otherwise it
// returns what it read (limit+1 bytes) with complete false, and r holds the
// rest. size is the length the body declares (-1: unknown): a buffer of
// that size is allocated once instead of being grown from 512 bytes.
func readAtMost(r io.Reader, limit, size int64) (buf []byte, complete bool, err error) {
	if size < 0 || size > limit {
		buf, err = io.ReadAll(io.LimitReader(r, limit+1))
	} else {
		// one byte more than declared, so that a body longer than its
		// Content-Length is still read up to limit+1 without regrowing
		// for the common case, and EOF is seen in the same buffer
		buf = make([]byte, 0, size+1)
		for {
			n, rerr := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				return nil, false, rerr
			}
			if len(buf) == cap(buf) {
				more, rerr := io.ReadAll(io.LimitReader(r, limit+1-int64(len(buf))))
				if rerr != nil {
					return nil, false, rerr
				}
				buf = append(buf, more...)
				break
			}
		}
	}
	if err != nil {
		return nil, false, err
	}
	return buf, int64(len(buf)) <= limit, nil
}
