package awsapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

const (
	testKeyID  = "ASIAEXAMPLEKEYID0001"
	testSecret = "test/secret/not-a-real-one"
	testToken  = "session-token-of-the-role"
)

func testCreds() aws.CredentialsProvider {
	return StaticCredentials{Value: aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: testToken}}
}

func testClient(srv *httptest.Server, s Service) *Client {
	return &Client{Service: s, Endpoint: srv.URL, Region: "eu-west-1", Credentials: testCreds(), HTTP: srv.Client(),
		Now: func() time.Time { return time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC) }}
}

// The request is what AWS's JSON protocol expects, byte for byte where it
// matters, and its signature holds when checked from the wire.
func TestCallSendsTheJSONProtocolSigned(t *testing.T) {
	for _, tt := range []struct {
		service     Service
		operation   string
		target      string
		contentType string
	}{
		{DynamoDB, "UpdateItem", "DynamoDB_20120810.UpdateItem", "application/x-amz-json-1.0"},
		{Firehose, "PutRecordBatch", "Firehose_20150804.PutRecordBatch", "application/x-amz-json-1.1"},
		{SecretsManager, "GetSecretValue", "secretsmanager.GetSecretValue", "application/x-amz-json-1.1"},
	} {
		t.Run(tt.service.Name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				if r.Method != http.MethodPost || r.URL.Path != "/" || r.URL.RawQuery != "" {
					t.Errorf("request %s %s, want POST /", r.Method, r.URL)
				}
				for h, want := range map[string]string{
					"Content-Type":         tt.contentType,
					"X-Amz-Target":         tt.target,
					"X-Amz-Date":           "20261207T010203Z",
					"X-Amz-Security-Token": testToken,
				} {
					if got := r.Header.Get(h); got != want {
						t.Errorf("%s = %q, want %q", h, got, want)
					}
				}
				if got, want := string(body), `{"Name":"x","N":3}`; got != want {
					t.Errorf("body %s, want %s", got, want)
				}
				auth := r.Header.Get("Authorization")
				if want := "Credential=" + testKeyID + "/20261207/eu-west-1/" + tt.service.Name + "/aws4_request"; !strings.Contains(auth, want) {
					t.Errorf("Authorization %q lacks %q", auth, want)
				}
				for _, h := range []string{"content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"} {
					if !strings.Contains(auth, h) {
						t.Errorf("header %s not signed: %q", h, auth)
					}
				}
				sum := sha256.Sum256(body)
				if err := verifySigV4(r, hex.EncodeToString(sum[:]), testSecret); err != nil {
					t.Errorf("signature: %v", err)
				}
				w.Header().Set("Content-Type", tt.contentType)
				io.WriteString(w, `{"Answer":"ok"}`)
			}))
			defer srv.Close()
			var out struct{ Answer string }
			in := struct {
				Name string
				N    int
			}{"x", 3}
			if err := testClient(srv, tt.service).Call(context.Background(), tt.operation, in, &out); err != nil {
				t.Fatal(err)
			}
			if out.Answer != "ok" {
				t.Errorf("answer %+v", out)
			}
		})
	}
}

// AWS error documents become errors that callers tell apart with
// errors.As, each still an *APIError with AWS's code and message.
func TestErrorDocumentsBecomeTypedErrors(t *testing.T) {
	type kind int
	const (
		plain kind = iota
		throttling
		conditional
		notFound
		denied
	)
	for _, tt := range []struct {
		name      string
		status    int
		header    string // X-Amzn-ErrorType
		body      string
		want      kind
		code, msg string
	}{
		{"dynamodb throttling with namespace", 400, "", `{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}`, throttling, "ThrottlingException", "Rate of requests exceeds the allowed throughput."},
		{"provisioned throughput", 400, "", `{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}`, throttling, "ProvisionedThroughputExceededException", "slow down"},
		{"429 without a document", 429, "", ``, throttling, "Too Many Requests", ""},
		{"conditional check", 400, "", `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}`, conditional, "ConditionalCheckFailedException", "The conditional request failed"},
		{"secret not found, capital Message", 400, "", `{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`, notFound, "ResourceNotFoundException", "Secrets Manager can't find the specified secret."},
		{"access denied", 400, "", `{"__type":"AccessDeniedException","Message":"User is not authorized to perform: firehose:PutRecordBatch"}`, denied, "AccessDeniedException", "User is not authorized to perform: firehose:PutRecordBatch"},
		{"code only in the header", 400, "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/", `not json`, denied, "AccessDeniedException", ""},
		{"validation is none of them", 400, "", `{"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid"}`, plain, "ValidationException", "One or more parameter values were invalid"},
		{"server error", 500, "", `{"__type":"InternalServerError","message":"oops"}`, plain, "InternalServerError", "oops"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("X-Amzn-ErrorType", tt.header)
				}
				w.Header().Set("X-Amzn-RequestId", "RID-1")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			err := testClient(srv, DynamoDB).Call(context.Background(), "GetItem", struct{}{}, nil)
			var api *APIError
			if !errors.As(err, &api) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			if api.Code != tt.code || api.Message != tt.msg || api.StatusCode != tt.status || api.RequestID != "RID-1" || api.Operation != "GetItem" {
				t.Errorf("APIError %+v, want code %q message %q status %d", api, tt.code, tt.msg, tt.status)
			}
			got := plain
			var (
				te *ThrottlingError
				ce *ConditionalCheckFailedError
				ne *ResourceNotFoundError
				de *AccessDeniedError
			)
			switch {
			case errors.As(err, &te):
				got = throttling
			case errors.As(err, &ce):
				got = conditional
			case errors.As(err, &ne):
				got = notFound
			case errors.As(err, &de):
				got = denied
			}
			if got != tt.want {
				t.Errorf("kind %d, want %d (%v)", got, tt.want, err)
			}
			if !strings.Contains(err.Error(), tt.code) {
				t.Errorf("message %q does not name the code", err)
			}
		})
	}
}

// Throttling, server errors and lost connections are retried up to
// MaxAttempts; an error the caller made is not.
func TestCallRetriesWhatAnotherAttemptCanFix(t *testing.T) {
	for _, tt := range []struct {
		name      string
		answers   []int // status per attempt; 0 closes the connection
		attempts  int
		wantCalls int32
		wantErr   bool
	}{
		{"throttled then served", []int{400, 200}, 3, 2, false},
		{"server errors until the attempts run out", []int{503, 503, 503, 503}, 3, 3, true},
		{"connection dropped then served", []int{0, 200}, 2, 2, false},
		{"validation error is final", []int{422, 200}, 3, 1, true},
		{"one attempt means no retry", []int{503, 200}, 1, 1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := calls.Add(1) - 1
				switch status := tt.answers[min(int(n), len(tt.answers)-1)]; status {
				case 0:
					conn, _, _ := w.(http.Hijacker).Hijack()
					conn.Close()
				case 200:
					io.WriteString(w, `{}`)
				case 400:
					w.WriteHeader(400)
					io.WriteString(w, `{"__type":"ThrottlingException","message":"slow down"}`)
				case 422:
					w.WriteHeader(400)
					io.WriteString(w, `{"__type":"ValidationException","message":"bad"}`)
				default:
					w.WriteHeader(status)
				}
			}))
			defer srv.Close()
			c := testClient(srv, DynamoDB)
			c.MaxAttempts, c.MaxBackoff = tt.attempts, 5*time.Millisecond
			err := c.Call(context.Background(), "GetItem", struct{}{}, nil)
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error %v", err, tt.wantErr)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("%d calls, want %d", got, tt.wantCalls)
			}
		})
	}
}

// The caller's deadline ends a call and its retries.
func TestCallStopsAtTheCallersDeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body) // then the server notices the client hanging up
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := testClient(srv, SecretsManager)
	c.MaxAttempts = 5
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := c.Call(ctx, "GetSecretValue", struct{}{}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("call took %v after a 100 ms deadline", d)
	}
}
