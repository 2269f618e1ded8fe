package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestInteractiveJSON: `search -i --json` answers each line of input with
// one JSON array on one line, an overlong word included.
func TestInteractiveJSON(t *testing.T) {
	cmd := exec.Command(binary, "--library", sample, "search", "-i", "--json")
	cmd.Env = env(t)
	long := strings.Repeat("refund", 500) // 3,000 letters
	cmd.Stdin = strings.NewReader("refund\n\nzzzzqqqq\n" + long + "\n")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want one per query:\n%s", len(lines), out.String())
	}
	for i, want := range []bool{true, false, false, false} {
		var res []searchResult
		if err := json.Unmarshal([]byte(lines[i]), &res); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, lines[i])
		}
		if (len(res) > 0) != want {
			t.Errorf("line %d: %d results", i+1, len(res))
		}
	}
}
