package redteam

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lambdawaf/lambdawaf/agent/emulator"
)

// Outcomes of a case.
const (
	outBlocked  = "blocked"       // the attack never reached the handler, blocked as the trigger's contract says
	outPassed   = "passed"        // a benign event reached the handler
	outBypass   = "BYPASS"        // the attack reached the handler in a parsed view
	outFailOpen = "FAIL-OPEN"     // inspection failed or was skipped and the event went through
	outCrash    = "CRASH"         // the agent or the invocation broke
	outFalse    = "FALSE-BLOCK"   // a benign event was blocked
	outContract = "WRONG-BLOCK"   // blocked, but not as the trigger's contract says
	outLeak     = "LEAK"          // a canary reached the decision record
	outNoRecord = "NO-RECORD"     // no decision record for the invocation
	outOverGoal = "over CPU goal" // judged correctly, slower than the goal (reported, not a failure)
)

// result is one case's outcome.
type result struct {
	c        redCase
	outcome  string
	detail   string
	inspectU float64 // inspection time from the decision record, µs
}

// allCases builds the suite: the full one, or the short form (one attack
// per location, rotating through the attacks) unless LAMBDAWAF_REDTEAM is
// "full".
func allCases(t *testing.T) []redCase {
	attacks := loadAttacks(t)
	full := os.Getenv("LAMBDAWAF_REDTEAM") == "full"
	var cases []redCase
	add := func(gen func(attack) []redCase, every []attack) {
		if full {
			for _, a := range every {
				cases = append(cases, gen(a)...)
			}
			return
		}
		// short form: location i gets attack i mod n
		per := gen(every[0])
		for i := range per {
			cases = append(cases, gen(every[i%len(every)])[i])
		}
	}
	add(forgedFieldCases, attacks)
	add(triggerCases, attacks)
	add(differentialCases, attacks[:4])
	add(limitCases, attacks[:2])
	add(cpuCases, attacks[:1])
	cases = append(cases, benignCases()...)
	cases = append(cases, canaryCases()...)
	return cases
}

func TestRedTeam(t *testing.T) {
	cases := allCases(t)
	f := start(t, nil)
	var results []result
	for _, c := range cases {
		results = append(results, run(t, f, c))
	}
	// The agent must still be alive and report no panic.
	res := invoke(t, f, benignCases()[0].Event)
	if _, ok := reached(res); !ok {
		t.Errorf("the function no longer answers after the suite: %s", res.Payload)
	}
	table := summarise(results)
	t.Log("\n" + table)
	if path := os.Getenv("LAMBDAWAF_REDTEAM_TABLE"); path != "" {
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
	for _, r := range results {
		switch r.outcome {
		case outBlocked, outPassed, outOverGoal:
		default:
			t.Errorf("%s: %s / %s: %s %s", r.outcome, r.c.Class, r.c.Name, r.c.Attack, r.detail)
		}
	}
}

func invoke(t *testing.T, f *function, payload []byte) *emulator.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := f.fn.Invoke(ctx, payload, emulator.InvokeOptions{})
	if err != nil {
		return &emulator.Result{FunctionError: "Invoke", ErrorType: "Invoke", Payload: []byte(err.Error())}
	}
	return res
}

// reached parses the handler's report, if the handler answered.
func reached(res *emulator.Result) (handlerReport, bool) {
	var rep handlerReport
	if res.FunctionError != "" || json.Unmarshal(res.Payload, &rep) != nil {
		return rep, false
	}
	return rep, rep.Reached
}

// run sends one case and classifies what happened.
func run(t *testing.T, f *function, c redCase) result {
	r := result{c: c}
	res := invoke(t, f, c.Event)
	rep, ran := reached(res)
	dec, line := f.decisionOf(res.RequestID)
	if dec != nil {
		if us, ok := dec["inspection_us"].(float64); ok {
			r.inspectU = us
		}
	}
	failed := dec != nil && (dec["error"] != nil && dec["decision"] == "allow" || dec["skipped"] != nil)
	switch {
	case res.ErrorType == "Invoke" && strings.Contains(string(res.Payload), "InvalidRequestContent"):
		// Lambda's Invoke API refuses what is not JSON: the event never
		// exists, for the agent or the handler.
		r.outcome, r.detail = outBlocked, "refused by the Invoke API"
		return r
	case res.ErrorType == "Sandbox.Timedout" && dec != nil && dec["decision"] != "block" && c.Attack != "":
		// the agent let it through and the handler ran out of time
		// parsing it: it reached the handler
		r.outcome, r.detail = outBypass, "handler timed out on it; decision: "+clip(line)
	case res.FunctionError != "" && !strings.HasPrefix(res.ErrorType, "LambdaWAF."):
		r.outcome, r.detail = outCrash, res.ErrorType+": "+clip(string(res.Payload))
	case c.Expect == expectPass && !ran:
		r.outcome, r.detail = outFalse, clip(string(res.Payload))
	case c.Expect == expectPass:
		r.outcome = outPassed
	case ran && c.Attack != "" && slices.Contains(rep.Hits, c.Attack) && failed:
		r.outcome, r.detail = outFailOpen, clip(line)
	case ran && c.Attack != "" && slices.Contains(rep.Hits, c.Attack):
		r.outcome, r.detail = outBypass, "handler saw it; decision: "+clip(line)
	default:
		r.outcome = outBlocked
		if msg := contractBroken(c, res, rep, ran); msg != "" {
			r.outcome, r.detail = outContract, msg
		}
	}
	if dec == nil && r.outcome != outCrash {
		r.outcome, r.detail = outNoRecord, "no decision record for "+res.RequestID
	}
	for _, can := range c.Canaries {
		if strings.Contains(line, can) {
			r.outcome, r.detail = outLeak, fmt.Sprintf("%q in %s", can, clip(line))
		}
	}
	if r.outcome == outBlocked && c.CPUBudgetMs > 0 && r.inspectU > float64(c.CPUBudgetMs)*1000 {
		r.outcome, r.detail = outOverGoal, fmt.Sprintf("%.0f ms, goal %d ms", r.inspectU/1000, c.CPUBudgetMs)
	}
	return r
}

// contractBroken checks that a block took the form the trigger's contract
// wants.
func contractBroken(c redCase, res *emulator.Result, rep handlerReport, ran bool) string {
	switch c.Contract {
	case "http":
		var resp struct {
			StatusCode int `json:"statusCode"`
		}
		if ran || json.Unmarshal(res.Payload, &resp) != nil || resp.StatusCode != 403 {
			return "want a 403 response object, got " + clip(string(res.Payload))
		}
	case "error":
		if res.FunctionError == "" || !strings.HasPrefix(res.ErrorType, "LambdaWAF.") {
			return "want a LambdaWAF.* function error, got " + clip(string(res.Payload))
		}
	case "batch":
		for _, f := range rep.BatchItemFailures {
			if f.ItemIdentifier == c.FailureID {
				return ""
			}
		}
		return "want batchItemFailures naming " + c.FailureID + ", got " + clip(string(res.Payload))
	}
	return ""
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// summarise renders the results table README.md shows: per class, the
// cases and each outcome, then the CPU figures.
func summarise(results []result) string {
	type row struct {
		cases    int
		outcomes map[string]int
	}
	rows := map[string]*row{}
	var classes []string
	for _, r := range results {
		rw, ok := rows[r.c.Class]
		if !ok {
			rw = &row{outcomes: map[string]int{}}
			rows[r.c.Class] = rw
			classes = append(classes, r.c.Class)
		}
		rw.cases++
		rw.outcomes[r.outcome]++
	}
	cols := []string{outBlocked, outPassed, outBypass, outFailOpen, outCrash, outFalse, outContract, outLeak, outNoRecord, outOverGoal}
	var b strings.Builder
	b.WriteString("| class | cases | " + strings.Join(cols, " | ") + " |\n|---|---|" + strings.Repeat("---|", len(cols)) + "\n")
	total := &row{outcomes: map[string]int{}}
	for _, cl := range classes {
		rw := rows[cl]
		b.WriteString("| " + cl + " | " + fmt.Sprint(rw.cases))
		for _, o := range cols {
			b.WriteString(" | " + fmt.Sprint(rw.outcomes[o]))
			total.outcomes[o] += rw.outcomes[o]
		}
		total.cases += rw.cases
		b.WriteString(" |\n")
	}
	b.WriteString("| **total** | " + fmt.Sprint(total.cases))
	for _, o := range cols {
		b.WriteString(" | " + fmt.Sprint(total.outcomes[o]))
	}
	b.WriteString(" |\n\nCPU cases (inspection time from the decision record):\n\n| case | ms |\n|---|---|\n")
	var cpu []result
	for _, r := range results {
		if r.c.Class == "cpu" {
			cpu = append(cpu, r)
		}
	}
	sort.Slice(cpu, func(i, j int) bool { return cpu[i].c.Name < cpu[j].c.Name })
	for _, r := range cpu {
		fmt.Fprintf(&b, "| %s (%s) | %.1f |\n", r.c.Name, r.c.Attack, r.inspectU/1000)
	}
	var bad []string
	for _, r := range results {
		if r.outcome != outBlocked && r.outcome != outPassed {
			bad = append(bad, fmt.Sprintf("- %s: %s / %s (%s) %s", r.outcome, r.c.Class, r.c.Name, r.c.Attack, clip(r.detail)))
		}
	}
	if len(bad) > 0 {
		b.WriteString("\nNot blocked as they should be:\n\n" + strings.Join(bad, "\n") + "\n")
	}
	return b.String()
}
