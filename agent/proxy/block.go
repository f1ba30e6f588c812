package proxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// block answers a blocked invocation upstream, buffered or, when the
// Verdict says so, streamed. If Lambda refuses the block response (it
// should not), the invocation is failed with a generic error instead, so it
// never waits for a runtime that will not see it.
func (p *Proxy) block(parent context.Context, id string, v Verdict) {
	p.stats.blocked.Add(1)
	defer p.answered(id)
	body, contentType := v.BlockResponse, v.BlockContentType
	if len(body) == 0 {
		body = []byte(GenericBlockResponse)
		if v.BlockStreaming {
			body = []byte(GenericStreamingBlockResponse)
		}
	}
	if contentType == "" {
		contentType = "application/json"
		if v.BlockStreaming {
			contentType = contentTypeStreamingPrelude
		}
	}
	ctx := context.WithoutCancel(parent)
	path := pathPrefix + url.PathEscape(id) + suffixResponse
	var status int
	var err error
	if v.BlockErrorType != "" {
		path = pathPrefix + url.PathEscape(id) + suffixError
		status, err = p.postError(ctx, path, body, v.BlockErrorType)
	} else if v.BlockStreaming {
		status, err = p.postStream(ctx, path, body, contentType)
	} else {
		status, err = p.post(ctx, path, body)
	}
	if err == nil && status == http.StatusAccepted {
		p.log.Info().Str("request_id", id).Bool("streamed", v.BlockStreaming).Msg("invocation blocked")
		return
	}
	p.stats.blockFailures.Add(1)
	p.log.Error().Err(err).Int("status", status).Str("request_id", id).Bool("streamed", v.BlockStreaming).
		Msg("upstream did not accept the block response; failing the invocation instead")
	const generic = `{"errorMessage":"Request blocked","errorType":"LambdaWAF.Blocked"}`
	status, err = p.post(ctx, pathPrefix+url.PathEscape(id)+suffixError, []byte(generic))
	if err != nil || status != http.StatusAccepted {
		p.log.Error().Err(err).Int("status", status).Str("request_id", id).
			Msg("upstream did not accept the invocation error either")
	}
}

// post sends a buffered JSON body upstream and returns the status.
func (p *Proxy) post(ctx context.Context, path string, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+p.upstream+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return p.roundTrip(req, path)
}

// postError fails an invocation: body is the error document, errorType
// goes in Lambda-Runtime-Function-Error-Type, as runtimes send it.
func (p *Proxy) postError(ctx context.Context, path string, body []byte, errorType string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+p.upstream+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(headerFunctionErrorType, errorType)
	return p.roundTrip(req, path)
}

// postStream sends body upstream as a streamed response, the way runtimes
// stream: Lambda-Runtime-Function-Response-Mode: streaming and a chunked
// body of unknown length.
func (p *Proxy) postStream(ctx context.Context, path string, body []byte, contentType string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+p.upstream+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.ContentLength = -1
	req.TransferEncoding = []string{"chunked"}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(headerResponseMode, responseModeStream)
	return p.roundTrip(req, path)
}

func (p *Proxy) roundTrip(req *http.Request, path string) (int, error) {
	resp, err := p.quick(req)
	if err != nil {
		return 0, fmt.Errorf("post %s: %w", path, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}
