package engine_test

import (
	"context"
	"fmt"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/engine"
	"github.com/leakdiag/leakdiag/rules"
	rulesd "github.com/leakdiag/leakdiag/rules.d"
)

// Run evaluates the rules over one capture's facts and returns the
// findings ranked, each naming the suspect process and the component
// behind it.
func ExampleRun() {
	srcs, err := rules.ReadDir(rulesd.FS, ".")
	if err != nil {
		fmt.Println(err)
		return
	}
	set, err := rules.Load(srcs)
	if err != nil {
		fmt.Println(err)
		return
	}
	snap, err := dumpreader.ReadFile("../testdata/examples/registry-leak-contoso-agent.txt", dumpreader.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := engine.Run(context.Background(), set, snap, engine.Options{Top: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Findings {
		fmt.Printf("#%d %s %s: pid %d %s, component %s (%s)\n",
			f.Rank, f.Severity, f.RuleID, f.Process.PID, f.Process.Image, f.Component.Name, f.Component.InferredFrom)
	}
	// Output:
	// #1 warning LD0001: pid 352 ContosoAgent.exe, component Contoso Agent (object_name:registry)
	// #2 warning LD0003: pid 352 ContosoAgent.exe, component Contoso Agent (object_name:registry)
}
