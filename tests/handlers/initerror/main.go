// Command initerror is a test handler whose initialisation fails before
// lambda.Start, as a function missing its configuration does. With
// INIT_ERROR_MODE=report (the default) it reports the failure to
// /runtime/init/error with its error type, as the managed runtimes do, then
// exits; with INIT_ERROR_MODE=exit it just exits non-zero (Lambda reports
// Runtime.ExitError).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/lambdawaf/lambdawaf/tests/handlers/internal/wiring"
)

const errorType = "Function.ConfigurationMissing"

func reportInitError(message string) error {
	body, err := json.Marshal(map[string]any{"errorMessage": message, "errorType": errorType, "stackTrace": []string{}})
	if err != nil {
		return err
	}
	url := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/init/error"
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Lambda-Runtime-Function-Error-Type", errorType)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("init/error answered %d", resp.StatusCode)
	}
	return nil
}

func main() {
	// Point at the agent first, as redirect.Redirect's users do before
	// any Runtime API call; an init error reported before redirection
	// would go straight to Lambda (harmless, but not what this tests).
	wiring.Redirect()
	if os.Getenv("REQUIRED_SETTING") == "" {
		msg := "REQUIRED_SETTING is not set"
		if os.Getenv("INIT_ERROR_MODE") != "exit" {
			if err := reportInitError(msg); err != nil {
				log.Printf("report init error: %v", err)
			}
		}
		log.Fatal(msg)
	}
	wiring.Start(func() (string, error) { return "configured", nil })
}
