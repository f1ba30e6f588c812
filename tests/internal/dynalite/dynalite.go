// Package dynalite runs npm's dynalite (a DynamoDB implementation in
// Node.js) for tests: a real server on a free loopback port that the
// agent's own DynamoDB client (fleet.Client) and the AWS SDK for Go v2 talk
// to exactly as to DynamoDB. install.sh next to this file installs it
// (idempotent; .ci/run calls it).
package dynalite

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lambdawaf/lambdawaf/agent/awsapi"
	"github.com/lambdawaf/lambdawaf/agent/fleet"
)

// Server is one dynalite process. Its state is in memory: Kill loses it.
type Server struct {
	t        testing.TB
	port     int
	Endpoint string

	mu  sync.Mutex
	cmd *exec.Cmd
}

var installOnce sync.Once
var installErr error

// bin returns the dynalite executable, installing it on first use.
func bin() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Dir(file)
	installOnce.Do(func() {
		out, err := exec.Command(filepath.Join(dir, "install.sh")).CombinedOutput()
		if err != nil {
			installErr = fmt.Errorf("tests/internal/dynalite/install.sh: %w\n%s", err, out)
		}
	})
	return filepath.Join(dir, "node_modules", ".bin", "dynalite"), installErr
}

// Start runs dynalite on a free loopback port and waits until it answers;
// the test's cleanup stops it.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{t: t, port: port, Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port)}
	s.Restart()
	t.Cleanup(s.Kill)
	return s
}

// Restart starts the server again on the same port (after Kill), empty.
func (s *Server) Restart() {
	s.t.Helper()
	b, err := bin()
	if err != nil {
		s.t.Fatal(err)
	}
	cmd := exec.Command(b, "--port", fmt.Sprint(s.port), "--host", "127.0.0.1", "--createTableMs", "20")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start dynalite: %v", err)
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", s.port), 100*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("dynalite did not listen on port %d within 15 s", s.port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill stops the server at once (SIGKILL), as a crash would.
func (s *Server) Kill() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd != nil && cmd.Process != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

// Client returns the agent's own DynamoDB client (fleet.Client) for the
// server, with fixed test credentials; dynalite checks the signature's
// form, not the keys.
func (s *Server) Client() *fleet.Client {
	c, err := fleet.NewClientFromConfig(awsapi.Config{
		Region:      "us-east-1",
		Credentials: awsapi.StaticCredentials{Value: aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"}},
	}, s.Endpoint, 10*time.Second)
	if err != nil {
		s.t.Fatalf("dynalite client: %v", err)
	}
	return c
}

// sdkClient is the AWS SDK's client for the server, for what the agent
// never does (creating tables).
func (s *Server) sdkClient() *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(s.Endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		RetryMaxAttempts: 1,
	})
}

// CreateTable creates a table shaped as the component makes it: a string
// partition key "pk", on-demand capacity.
func (s *Server) CreateTable(ctx context.Context, name string) error {
	_, err := s.sdkClient().CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	// dynalite creates tables asynchronously (CREATING, then ACTIVE).
	w := dynamodb.NewTableExistsWaiter(s.sdkClient(), func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = 200 * time.Millisecond
	})
	return w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 15*time.Second)
}
