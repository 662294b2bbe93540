package spatial_test

import (
	"fmt"

	"github.com/agglo/agglo/spatial"
)

// ExampleHigherOrder finds the second-order rook neighbours of the corner
// cell of a 3 × 3 grid: the cells two steps away, as spdep's nblag.
func ExampleHigherOrder() {
	w, _ := spatial.Lattice(3, 3, false)
	w2, err := spatial.HigherOrder(w, 2, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	cols, _ := w2.Neighbours(0)
	for _, j := range cols {
		fmt.Print(w2.IDs()[j], " ")
	}
	fmt.Println()
	// Output:
	// r0c2 r1c1 r2c0
}
