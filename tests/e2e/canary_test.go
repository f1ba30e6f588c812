package e2e

// The canary test: events of every trigger, with secrets and personal data
// planted in every location the trigger has (values, keys, headers,
// cookies, claims, record attributes, base64 payloads), next to attacks so
// that signals quote them, go through the real agent binary; no byte it
// writes to stdout (CloudWatch Logs) or ships to Firehose holds any of
// them.

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// Every canary spells "canary" (any case) or is a number the redactor must
// mask; the scan looks for both.
const (
	canaryEmail    = "carol.canary@example.org"
	canaryPhone    = "+1 415 555 0199"
	canaryCard     = "4539148803436467"
	canaryCookie   = "ckCANARYa1b2c3d4e5"
	canaryAPIKey   = "akCANARYf6e5d4c3b2"
	canaryPassword = "pwCANARYz9y8x7"
	canaryToken    = "tkCANARY0123456789abcdefXYZ"
	canaryIP       = "203.0.113.199"
	canaryName     = "Canary Carolsdottir"
)

var canaryJWT = "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"`+canaryEmail+`","name":"`+canaryName+`"}`)) + ".c2lnQ0FOQVJZc2ln"

// canaryNumbers are the digit strings that must not appear (the scan for
// "canary" does not see them).
var canaryNumbers = []string{"4539148803436467", "4539 1488", "0343 6467", "415 555 0199", "4155550199", "203.0.113.199", "113.199"}

// poison is an attack that detectors quote, wrapped in personal data.
func poison(extra string) string {
	return canaryEmail + " ' OR 1=1 -- " + canaryPhone + " " + canaryCard + " " + canaryToken + " " + extra
}

// canaryDoc is a JSON document with a poisoned value, a poisoned key and
// a sensitive member.
func canaryDoc(extra string) map[string]any {
	return map[string]any{
		"comment":  poison(extra),
		"password": "' OR 1=1 -- " + canaryPassword,
		canaryEmail + "<script>alert(1)</script>": "x",
		"nested": map[string]any{"list": []any{poison(extra)}},
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func b64s(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func byteList(s string) []int {
	out := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = int(s[i])
	}
	return out
}

// canaryEvents returns one event of every trigger, canaries everywhere.
func canaryEvents() map[string]string {
	doc := jsonString(canaryDoc(canaryCookie))
	headers := map[string]string{
		"authorization": "Bearer " + canaryJWT, "x-api-key": "' OR 1=1 -- " + canaryAPIKey,
		"cookie": "sid=' OR 1=1 -- " + canaryCookie, "x-forwarded-for": canaryIP, "content-type": "application/json",
		"user-agent": "leak-test", "x-note": poison(canaryCookie), "x-" + canaryEmail: "<script>alert(1)</script>",
	}
	multi := map[string][]string{}
	for k, v := range headers {
		multi[k] = []string{v}
	}
	query := map[string]string{"q": poison(""), canaryEmail: "' OR 1=1 --", "access_token": "' OR 1=1 -- " + canaryToken}
	mquery := map[string][]string{}
	for k, v := range query {
		mquery[k] = []string{v}
	}
	var raw []string
	for k, v := range query {
		raw = append(raw, urlEscape(k)+"="+urlEscape(v))
	}
	claims := map[string]any{"sub": canaryEmail, "email": canaryEmail, "name": canaryName + " ' OR 1=1 --"}
	ev := map[string]any{}
	ev["apigateway-http"] = map[string]any{
		"version": "2.0", "routeKey": "POST /c", "rawPath": "/c/" + urlEscape(canaryEmail), "rawQueryString": strings.Join(raw, "&"),
		"cookies": []string{"sid=' OR 1=1 -- " + canaryCookie}, "headers": headers, "queryStringParameters": query,
		"pathParameters": map[string]string{"id": poison("")},
		"requestContext": map[string]any{"http": map[string]string{"method": "POST", "path": "/c", "sourceIp": canaryIP},
			"authorizer": map[string]any{"jwt": map[string]any{"claims": claims}, "lambda": map[string]any{"ctx": poison("")}}},
		"body": doc, "isBase64Encoded": false,
	}
	ev["function-url"] = map[string]any{
		"version": "2.0", "routeKey": "$default", "rawPath": "/u", "rawQueryString": strings.Join(raw, "&"), "headers": headers,
		"requestContext": map[string]any{"domainName": "abc.lambda-url.us-east-1.on.aws", "http": map[string]string{"method": "POST", "path": "/u", "sourceIp": canaryIP}},
		"body":           b64s(doc), "isBase64Encoded": true,
	}
	ev["apigateway-rest"] = map[string]any{
		"resource": "/c", "path": "/c", "httpMethod": "POST", "headers": headers, "multiValueHeaders": multi,
		"queryStringParameters": query, "multiValueQueryStringParameters": mquery, "pathParameters": map[string]string{"id": poison("")},
		"requestContext": map[string]any{"resourcePath": "/c", "identity": map[string]string{"sourceIp": canaryIP},
			"authorizer": map[string]any{"claims": claims, "principalId": canaryEmail}},
		"body": doc,
	}
	ev["alb"] = map[string]any{
		"path": "/c", "httpMethod": "POST", "multiValueHeaders": multi, "multiValueQueryStringParameters": mquery,
		"requestContext": map[string]any{"elb": map[string]string{"targetGroupArn": "arn:aws:elasticloadbalancing:tg"}}, "body": doc,
	}
	ev["vpc-lattice-v2"] = map[string]any{
		"version": "2.0", "path": "/c?" + strings.Join(raw, "&"), "method": "POST", "headers": multi,
		"requestContext": map[string]any{"identity": map[string]any{"principal": canaryEmail}}, "body": doc,
	}
	ev["sqs"] = map[string]any{"Records": []any{map[string]any{"eventSource": "aws:sqs", "messageId": "m1", "body": doc,
		"messageAttributes": map[string]any{"note": map[string]any{"stringValue": poison(""), "dataType": "String"}}}}}
	ev["sns"] = map[string]any{"Records": []any{map[string]any{"EventSource": "aws:sns", "Sns": map[string]any{"MessageId": "s1", "Message": doc, "Subject": poison("")}}}}
	ev["s3"] = map[string]any{"Records": []any{map[string]any{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
		"s3": map[string]any{"bucket": map[string]string{"name": "b"}, "object": map[string]string{"key": urlEscape(poison(""))}}}}}
	ev["kinesis"] = map[string]any{"Records": []any{map[string]any{"eventSource": "aws:kinesis", "eventID": "k1",
		"kinesis": map[string]any{"sequenceNumber": "1", "partitionKey": poison(""), "data": b64s(doc)}}}}
	ev["dynamodb"] = map[string]any{"Records": []any{map[string]any{"eventSource": "aws:dynamodb", "eventID": "d1", "eventName": "INSERT",
		"dynamodb": map[string]any{"SequenceNumber": "1", "Keys": map[string]any{"email": map[string]string{"S": canaryEmail}},
			"NewImage": map[string]any{"comment": map[string]string{"S": poison("")}, "password": map[string]string{"S": "' OR 1=1 -- " + canaryPassword}}}}}}
	ev["eventbridge"] = map[string]any{"id": "e1", "detail-type": "canary", "source": "custom.canary", "detail": canaryDoc("")}
	ev["eventbridge-pipes"] = []any{
		map[string]any{"eventSource": "aws:sqs", "messageId": "p1", "body": doc},
		map[string]any{"eventSource": "aws:kinesis", "sequenceNumber": "2", "data": b64s(doc)},
	}
	ev["kafka"] = map[string]any{"eventSource": "aws:kafka", "records": map[string]any{"t-0": []any{map[string]any{
		"topic": "t", "partition": 0, "offset": 1, "key": b64s(canaryEmail), "value": b64s(doc),
		"headers": []any{map[string]any{"note": byteList(poison("")), "password": byteList("' OR 1=1 -- " + canaryPassword)}}}}}}
	ev["amazon-mq"] = map[string]any{"eventSource": "aws:mq", "messages": []any{map[string]any{"messageID": "q1", "data": b64s(doc),
		"properties": map[string]string{"note": poison("")}}}}
	ev["rabbitmq"] = map[string]any{"eventSource": "aws:rmq", "rmqMessagesByQueue": map[string]any{"q::/": []any{map[string]any{
		"data": b64s(doc), "basicProperties": map[string]any{"headers": map[string]any{"note": map[string]any{"bytes": byteList(poison(""))}}}}}}}
	ev["appsync"] = map[string]any{"arguments": canaryDoc(""), "identity": map[string]any{"claims": claims, "sourceIp": []string{canaryIP}},
		"source": map[string]any{"title": poison("")}, "request": map[string]any{"headers": headers}, "info": map[string]any{"fieldName": "f"}}
	ev["cognito"] = map[string]any{"version": "1", "triggerSource": "PreSignUp_SignUp", "userPoolId": "p", "userName": canaryEmail,
		"request": map[string]any{"userAttributes": map[string]string{"email": canaryEmail, "name": canaryName + " ' OR 1=1 --", "phone_number": canaryPhone},
			"clientMetadata": map[string]string{"note": poison("")}, "validationData": map[string]string{"password": "' OR 1=1 -- " + canaryPassword}},
		"response": map[string]any{}}
	ev["unknown"] = map[string]any{"custom": canaryDoc(""), canaryEmail: poison(""), "Records-ish": []any{poison("")}}
	out := map[string]string{}
	for k, v := range ev {
		out[k] = jsonString(v)
	}
	// Malformed: a field of the wrong type, canaries in the rest.
	out["malformed"] = `{"version":"2.0","rawPath":"/","headers":{"n":1,"x":` + jsonString(poison("")) + `},"body":` + jsonString(doc) + `,"requestContext":{"http":{"method":"POST"}}}`
	return out
}

func urlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
	}
	return b.String()
}

var canaryWord = regexp.MustCompile(`(?i)canary`)

func TestCanariesNeverLeaveTheAgent(t *testing.T) {
	aws, url := startFakeAWS(t, 0)
	fn, logs := startTelemetryFunction(t, "echo", telemetryEnv(url), emulator.Config{})
	events := canaryEvents()
	for _, payload := range events {
		invoke(t, fn, payload, emulator.InvokeOptions{})
	}
	if err := fn.Shutdown(t.Context()); err != nil { // the agent flushes to Firehose
		t.Fatal(err)
	}
	aws.mu.Lock()
	shipped := strings.Join(aws.firehose, "\n")
	aws.mu.Unlock()
	checkCanaries(t, "stdout", logs.String())
	checkCanaries(t, "Firehose", shipped)

	// The scan means something only if every event left a record, and
	// the records quote the attacks they found.
	records := logs.Lines(`"kind":"decision"`)
	if len(records) < len(events) {
		t.Fatalf("%d decision records for %d events", len(records), len(events))
	}
	excerpts := 0
	for _, l := range records {
		if strings.Contains(l, `"excerpt"`) {
			excerpts++
		}
	}
	if excerpts < len(events)/2 {
		t.Errorf("only %d of %d records carry excerpts: the canaries were not next to what detectors quote", excerpts, len(records))
	}
}

func checkCanaries(t *testing.T, where, text string) {
	t.Helper()
	if m := canaryWord.FindStringIndex(text); m != nil {
		from, to := max(0, m[0]-80), min(len(text), m[1]+40)
		t.Errorf("%s holds a canary: …%s…", where, text[from:to])
	}
	for _, n := range canaryNumbers {
		if i := strings.Index(text, n); i >= 0 {
			from, to := max(0, i-80), min(len(text), i+len(n)+40)
			t.Errorf("%s holds %q: …%s…", where, n, text[from:to])
		}
	}
}
