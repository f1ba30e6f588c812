package e2e

// Redaction end to end: events full of credentials and personal data go
// through the real agent binary, and no line it writes (stdout, hence CloudWatch) and no
// record it ships to Firehose contains any of them. Plus: a slow Secrets
// Manager endpoint does not delay the agent's readiness.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/agentkey"
	"github.com/lambdawaf/lambdawaf/agent/contract"
	"github.com/lambdawaf/lambdawaf/agent/emulator"
	"github.com/lambdawaf/lambdawaf/agent/telemetry"
)

const (
	e2eAgentKey  = "e2e-agent-key-0123456789abcdef0123456789abcdef"
	e2eSecretARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lambdawaf-agent-key-AbCdEf"

	plantedJWT    = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSJ9.c2lnbmF0dXJlLWUyZQ"
	plantedCookie = "sessionid=9f8e7d6c5b4a39281706"
	plantedAPIKey = "live_sk_5f4dcc3b5aa765d61d8327deb882cf99"
	plantedIP     = "198.51.100.77"
	plantedEmail  = "alice@example.com"
	plantedCard   = "4111111111111111"
	plantedPass   = "Tr0ub4dor&3-e2e"
)

var plantedValues = []string{plantedJWT, "eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSJ9", "9f8e7d6c5b4a39281706", plantedAPIKey,
	plantedIP, plantedEmail, plantedCard, plantedPass, e2eAgentKey}

// fakeAWS plays Secrets Manager (GetSecretValue, after delay) and Firehose
// (PutRecordBatch, keeping what it receives) on loopback.
type fakeAWS struct {
	delay time.Duration

	mu          sync.Mutex
	firehose    []string
	secrets     int
	credentials int // fetches of the container credentials
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/credentials" {
		// The container credentials endpoint: how the agent, like any SDK
		// in a container, gets credentials without reserved variables.
		f.mu.Lock()
		f.credentials++
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId": "AKIDE2ETESTONLY00000", "SecretAccessKey": "e2e-test-only-secret", "Token": "e2e-token",
			"Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		})
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch r.Header.Get("X-Amz-Target") {
	case "secretsmanager.GetSecretValue":
		f.mu.Lock()
		f.secrets++
		f.mu.Unlock()
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"ARN": e2eSecretARN, "Name": "lambdawaf-agent-key", "SecretString": e2eAgentKey})
	case "Firehose_20150804.PutRecordBatch":
		var in struct{ Records []struct{ Data string } }
		json.NewDecoder(r.Body).Decode(&in)
		var resps []string
		f.mu.Lock()
		for i, rec := range in.Records {
			b, _ := base64.StdEncoding.DecodeString(rec.Data)
			f.firehose = append(f.firehose, string(b))
			resps = append(resps, fmt.Sprintf(`{"RecordId":"%d"}`, i))
		}
		f.mu.Unlock()
		fmt.Fprintf(w, `{"FailedPutCount":0,"Encrypted":false,"RequestResponses":[%s]}`, strings.Join(resps, ","))
	default:
		w.WriteHeader(400)
		w.Write([]byte(`{"__type":"UnknownOperationException"}`))
	}
}

func startFakeAWS(t testing.TB, delay time.Duration) (*fakeAWS, string) {
	f := &fakeAWS{delay: delay}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

// telemetryEnv points the agent's AWS SDK clients at the fake: endpoints
// by AWS_ENDPOINT_URL_<SERVICE>, credentials by the container credentials
// endpoint (the access key variables are reserved in Lambda).
func telemetryEnv(url string) map[string]string {
	return map[string]string{
		contract.EnvAgentKeySecretARN:        e2eSecretARN,
		"AWS_ENDPOINT_URL_SECRETS_MANAGER":   url,
		contract.EnvFirehoseStream:           "lambdawaf-records",
		"AWS_ENDPOINT_URL_FIREHOSE":          url,
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": url + "/credentials",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":  "e2e",
		"AWS_EC2_METADATA_DISABLED":          "true",
		contract.EnvOutbound:                 "mask",
		"LAMBDAWAF_LOG_HEADERS":              "user-agent,authorization,cookie,x-api-key,referer",
		"LAMBDAWAF_SAMPLE_ALLOWED":           "1",
		"LAMBDAWAF_SOME_UNRELATED_FLAG":      "on",
	}
}

// secretEvent is an HTTP API event carrying every kind of secret, with an
// optional attack in the query.
func secretEvent(attack string) string {
	q := "card=" + plantedCard
	if attack != "" {
		q += "&id=" + attack
	}
	body, _ := json.Marshal(map[string]string{"email": plantedEmail, "password": plantedPass, "card": plantedCard})
	ev := map[string]any{
		"version": "2.0", "routeKey": "POST /login", "rawPath": "/login", "rawQueryString": q,
		"cookies": []string{plantedCookie},
		"headers": map[string]string{
			"authorization": "Bearer " + plantedJWT, "x-api-key": plantedAPIKey, "cookie": plantedCookie,
			"x-forwarded-for": plantedIP, "user-agent": "e2e-agent/1.0", "content-type": "application/json",
			"referer": "https://user:" + plantedPass + "@example.com/?token=" + plantedJWT,
		},
		"queryStringParameters": map[string]string{"card": plantedCard, "id": attack},
		"requestContext": map[string]any{
			"accountId": "123456789012", "apiId": "a1b2c3", "domainName": "api.example.com", "requestId": "e2e",
			"routeKey": "POST /login", "stage": "$default", "time": "21/Nov/2026:23:45:00 +0000", "timeEpoch": 1795218300000,
			"http":       map[string]string{"method": "POST", "path": "/login", "protocol": "HTTP/1.1", "sourceIp": plantedIP, "userAgent": "e2e-agent/1.0"},
			"authorizer": map[string]any{"jwt": map[string]any{"claims": map[string]string{"sub": plantedEmail, "email": plantedEmail}, "scopes": nil}},
		},
		"body": string(body), "isBase64Encoded": false,
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

func TestNoSecretReachesAnyLogLineOrFirehose(t *testing.T) {
	aws, url := startFakeAWS(t, 0)
	fn, logs := startTelemetryFunction(t, "echo", telemetryEnv(url), emulator.Config{})
	attack := invoke(t, fn, secretEvent("1' OR '1'='1' --"), emulator.InvokeOptions{})
	benign := invoke(t, fn, secretEvent(""), emulator.InvokeOptions{})
	// The benign invocation reached the handler, and its response (which
	// echoes the event) was masked on the way out.
	for _, v := range []string{plantedCard, plantedPass} {
		if strings.Contains(string(benign.Payload), v) {
			t.Errorf("response leaks %q", v)
		}
	}
	if err := fn.Shutdown(t.Context()); err != nil { // SHUTDOWN: the agent flushes to Firehose
		t.Fatal(err)
	}
	out := logs.String()
	aws.mu.Lock()
	shipped := strings.Join(aws.firehose, "")
	nShipped := len(aws.firehose)
	credentials := aws.credentials
	aws.mu.Unlock()
	// The agent key's Secrets Manager client and the Firehose client share
	// one cache of the credentials: the endpoint is asked once.
	if credentials != 1 {
		t.Errorf("the container credentials endpoint was asked %d times, want once", credentials)
	}
	for _, v := range plantedValues {
		if strings.Contains(out, v) {
			t.Errorf("a log line contains the planted %q", v)
		}
		if strings.Contains(shipped, v) {
			t.Errorf("a Firehose record contains the planted %q", v)
		}
	}

	// The scan means something only if the records are there.
	var recs []telemetry.Record
	for _, l := range logs.Lines(`"kind":"decision"`) {
		var r telemetry.Record
		if err := json.Unmarshal([]byte(l[strings.IndexByte(l, '{'):]), &r); err != nil {
			t.Fatalf("record %q: %v", l, err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 2 {
		t.Fatalf("%d decision records, want 2:\n%s", len(recs), out)
	}
	ids := []string{recs[0].RequestID, recs[1].RequestID}
	if !slices.Contains(ids, attack.RequestID) || !slices.Contains(ids, benign.RequestID) {
		t.Errorf("records for %v, invocations %s and %s", ids, attack.RequestID, benign.RequestID)
	}
	wantSource := telemetry.Pseudonym([]byte(e2eAgentKey), telemetry.SourcePrefix, plantedIP)
	wantUser := telemetry.Pseudonym([]byte(e2eAgentKey), telemetry.UserPrefix, plantedEmail)
	sawSignal := false
	for _, r := range recs {
		if r.Source != wantSource || r.User != wantUser || r.PseudonymKey != agentkey.SourceSecret {
			t.Errorf("pseudonyms %q %q (%s), want %q %q with the secret key", r.Source, r.User, r.PseudonymKey, wantSource, wantUser)
		}
		for _, h := range []string{"authorization", "cookie", "x-api-key"} {
			if _, ok := r.Headers[h]; ok {
				t.Errorf("credential header %s logged although allowlisted", h)
			}
		}
		if r.Headers["user-agent"] != "e2e-agent/1.0" {
			t.Errorf("allowlisted header missing: %v", r.Headers)
		}
		if len(r.Signals) > 0 {
			sawSignal = true
		}
	}
	if !sawSignal {
		t.Errorf("the attack produced no signal: %+v", recs)
	}
	if nShipped < 3 { // two decisions and the masked-response record
		t.Errorf("%d records shipped to Firehose", nShipped)
	}
	if len(logs.Lines(`"_aws"`)) == 0 {
		t.Error("no EMF metrics at shutdown")
	}
}

// TestReadinessDoesNotWaitForTheSecret starts fresh environments with the
// Secrets Manager endpoint answering at once and after 500 ms, and compares
// the agent's exec-to-first-event/next and the first invocation's latency.
func TestReadinessDoesNotWaitForTheSecret(t *testing.T) {
	measure := func(delay time.Duration) (ready, first time.Duration) {
		aws, url := startFakeAWS(t, delay)
		fn, logs := startTelemetryFunction(t, "echo", telemetryEnv(url), emulator.Config{})
		res := invoke(t, fn, secretEvent(""), emulator.InvokeOptions{})
		ext, ok := fn.Environments()[0].Extension("lambdawaf")
		if !ok || ext.FirstNext.IsZero() {
			t.Fatalf("agent report %+v", ext)
		}
		if err := fn.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
		aws.mu.Lock()
		calls := aws.secrets
		aws.mu.Unlock()
		if calls == 0 {
			t.Fatalf("the agent never asked for the secret:\n%s", logs.String())
		}
		return ext.StartToFirstNext(), res.Duration
	}
	var fastReady, slowReady, fastFirst, slowFirst []time.Duration
	for range 3 {
		r, f := measure(0)
		fastReady, fastFirst = append(fastReady, r), append(fastFirst, f)
		r, f = measure(500 * time.Millisecond)
		slowReady, slowFirst = append(slowReady, r), append(slowFirst, f)
	}
	med := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	t.Logf("exec to first event/next: secret at once %v, secret after 500ms %v", med(fastReady), med(slowReady))
	t.Logf("first invocation: secret at once %v, secret after 500ms %v", med(fastFirst), med(slowFirst))
	if med(slowReady) > med(fastReady)+200*time.Millisecond {
		t.Errorf("readiness grew with the secret endpoint's delay: %v vs %v", med(slowReady), med(fastReady))
	}
	if med(slowFirst) > med(fastFirst)+200*time.Millisecond {
		t.Errorf("the first invocation waited for the secret: %v vs %v", med(slowFirst), med(fastFirst))
	}
}
