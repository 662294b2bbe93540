package regress_test

import (
	"fmt"

	"github.com/agglo/agglo/regress"
)

// A coefficient of 0.002 on unemployment (in per cent, SD 2.2) and one of
// 0.3 on log public capital (SD 0.94), with SD(log gsp) = 1.02: in
// standard deviations of the response, unemployment's effect is about
// 1/64 of capital's, not the 1/150 of the raw coefficients.
func ExampleResult_Standardized() {
	r := &regress.Result{
		Coefficients: []regress.Coefficient{
			{Name: "(Intercept)", Estimate: 2.1, StdError: 0.1},
			{Name: "log(pcap)", Estimate: 0.3, StdError: 0.02},
			{Name: "unemp", Estimate: 0.002, StdError: 0.001},
		},
		ResponseSD: 1.02,
		TermSD:     map[string]float64{"log(pcap)": 0.94, "unemp": 2.2},
	}
	s, err := r.Standardized()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range s.Coefficients {
		fmt.Printf("%-9s %.4f (%.4f)\n", c.Name, c.Estimate, c.StdError)
	}
	_, err = (&regress.Result{Coefficients: r.Coefficients}).Standardized()
	fmt.Println(err)
	// Output:
	// log(pcap) 0.2765 (0.0184)
	// unemp     0.0043 (0.0022)
	// the result records no standard deviations of the data (response_sd, term_sd): it was written by an older agglo; re-fit the model
}
