package index_test

import (
	"fmt"

	"github.com/agglo/agglo/index"
)

// ExampleComposite weights two indicators by the entropy method: x1 =
// (1, 2, 4) is more dispersed across the three regions than x2 = (10, 30,
// 20), so it carries more information and a larger weight.
func ExampleComposite() {
	x := [][]float64{{1, 10}, {2, 30}, {4, 20}}
	res, err := index.Composite(x, []string{"x1", "x2"}, nil, index.CompositeOptions{Method: index.EntropyMethod})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("weights %.4f\n", res.Groups[0].Weights)
	fmt.Printf("index   %.4f\n", res.Index)
	// Output:
	// weights [0.5371 0.4629]
	// index   [0.0000 0.6419 0.7686]
}
