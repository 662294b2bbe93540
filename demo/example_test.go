package demo_test

import (
	"fmt"
	"log"
	"os"

	"github.com/agglo/agglo/demo"
)

// Generate draws the embedded study; the same configuration always gives
// the same data.
func ExampleGenerate() {
	s, err := demo.Generate(demo.DefaultConfig())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(s.Regions), "regions,", len(s.Sectors), "sectors,", len(s.Innovation), "region-years")
	fmt.Println("regressors:", demo.Regressors)
	fmt.Println("true rho:", s.Config.Truth.Rho)
	// Output:
	// 100 regions, 9 sectors, 500 region-years
	// regressors: [va coagg log_rd]
	// true rho: 0.35
}

// RunStudy runs the whole study and reports the SDM against the truth.
func ExampleRunStudy() {
	files, err := demo.EmbeddedFiles()
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "agglo-demo")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	truth := demo.DefaultTruth()
	rep, err := demo.RunStudy(files, dir, demo.StudyOptions{Truth: &truth, NoFigures: true, ImpactDraws: 100, Permutations: 99})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("chosen model:", rep.Chosen)
	for _, r := range rep.TruthCheck[:1] {
		fmt.Printf("%s: truth %.2f, estimate %.2f (s.e. %.2f)\n", r.Name, r.Truth, r.Estimate, r.StdError)
	}
	// Output:
	// chosen model: sdm
	// va: truth 0.80, estimate 0.76 (s.e. 0.04)
}
