package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
)

// dynamoServer answers one operation with a canned document and records
// what it was sent.
func dynamoServer(t *testing.T, status int, answer string) (*Client, *[]string) {
	t.Helper()
	var sent []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Content-Type"); got != "application/x-amz-json-1.0" {
			t.Errorf("Content-Type %q", got)
		}
		body, _ := io.ReadAll(r.Body)
		sent = append(sent, r.Header.Get("X-Amz-Target")+" "+string(body))
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClientFromConfig(awsapi.Config{
		Region:      "eu-west-1",
		Credentials: awsapi.StaticCredentials{Value: aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "s"}},
	}, srv.URL, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return c, &sent
}

// The items the table writes, in DynamoDB's wire format, byte for byte.
func TestTableWritesDynamoDBWireFormat(t *testing.T) {
	c, sent := dynamoServer(t, 200, `{"Attributes":{"n":{"N":"7"}}}`)
	tbl := &Table{API: c, Name: "waf-state", Group: "shop"}
	n, err := tbl.add(context.Background(), "shop#rl#api#ip_0123456789abcdef#42", 3, time.Unix(1800000000, 0))
	if err != nil || n != 7 {
		t.Fatalf("add = %d, %v", n, err)
	}
	until := time.UnixMilli(1800000000123)
	if err := tbl.SetFlag(context.Background(), "ip_0123456789abcdef", until, time.Unix(1800000000, 0)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`DynamoDB_20120810.UpdateItem {"TableName":"waf-state","Key":{"pk":{"S":"shop#rl#api#ip_0123456789abcdef#42"}},"UpdateExpression":"ADD #n :d SET #e = :e","ExpressionAttributeNames":{"#e":"expiresAt","#n":"n"},"ExpressionAttributeValues":{":d":{"N":"3"},":e":{"N":"1800000000"}},"ReturnValues":"UPDATED_NEW"}`,
		`DynamoDB_20120810.UpdateItem {"TableName":"waf-state","Key":{"pk":{"S":"shop#flags"}},"UpdateExpression":"SET #f = :u, #e = :e","ExpressionAttributeNames":{"#e":"expiresAt","#f":"f_ip_0123456789abcdef"},"ExpressionAttributeValues":{":e":{"N":"1800604800"},":u":{"N":"1800000000123"}}}`,
	}
	if strings.Join(*sent, "\n") != strings.Join(want, "\n") {
		t.Errorf("sent\n%s\nwant\n%s", strings.Join(*sent, "\n"), strings.Join(want, "\n"))
	}
}

// Flags read from an item holding attributes of other kinds: those are
// skipped, not misread.
func TestFlagsReadFromAGetItemAnswer(t *testing.T) {
	item := map[string]any{"Item": map[string]any{
		"pk":                    map[string]string{"S": "shop#flags"},
		"expiresAt":             map[string]string{"N": "4000000000"},
		"f_ip_0123456789abcdef": map[string]string{"N": "3000000000000"},
		"f_ip_fedcba9876543210": map[string]bool{"BOOL": true},
	}}
	b, _ := json.Marshal(item)
	c, sent := dynamoServer(t, 200, string(b))
	flags, err := (&Table{API: c, Name: "waf-state", Group: "shop"}).Flags(context.Background(), time.Unix(2000000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(flags) != 1 || flags[0].Pseudonym != "ip_0123456789abcdef" || !flags[0].Until.Equal(time.UnixMilli(3000000000000)) {
		t.Errorf("flags %+v", flags)
	}
	if want := `DynamoDB_20120810.GetItem {"TableName":"waf-state","Key":{"pk":{"S":"shop#flags"}},"ConsistentRead":true}`; (*sent)[0] != want {
		t.Errorf("sent %s, want %s", (*sent)[0], want)
	}
}

// A missing table is an error the caller can tell from an outage.
func TestTableErrorsAreTyped(t *testing.T) {
	c, _ := dynamoServer(t, 400, `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}`)
	_, err := (&Table{API: c, Name: "gone", Group: "shop"}).Flags(context.Background(), time.Now())
	var nf *awsapi.ResourceNotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "read flags from gone") {
		t.Errorf("err = %v, want a ResourceNotFoundError naming the table", err)
	}
}
