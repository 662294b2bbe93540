package demo_test

import (
	"fmt"
	"log"
	"math"
	"os"

	"github.com/agglo/agglo/demo"
)

// Generate draws the embedded study; the same configuration always gives
// the same data. The output restates DefaultConfig: a 10 × 10 map (100
// regions), the 9 industries of Sectors, 5 years (100 × 5 = 500
// region-years) and the truth ρ = 0.35 of DefaultTruth.
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
// The estimate is not printed as a golden number (no outside reference
// fits this pipeline): the example shows the generator's coefficient and
// that the estimate lies within three standard errors of it, which is what
// the study is built to show.
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
		z := (r.Estimate - r.Truth) / r.StdError
		fmt.Printf("%s: truth %.2f, estimate within 3 standard errors: %v\n", r.Name, r.Truth, math.Abs(z) <= 3)
	}
	// Output:
	// chosen model: sdm
	// va: truth 0.80, estimate within 3 standard errors: true
}
