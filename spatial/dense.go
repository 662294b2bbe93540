package spatial

import "fmt"

// MaxDenseBytes is the most memory, in bytes, that the library allocates at
// once for dense matrices whose size comes from the data (N × N matrices of
// the weights, design matrices): 4 GiB. Larger requests are refused by
// CheckDense with an error that says what to use instead, rather than
// crashing the process with "fatal error: out of memory".
const MaxDenseBytes = 4 << 30

// CheckDense returns an error when copies dense rows × cols float64
// matrices (what names them, e.g. "the N × N weights matrix") would need
// more than MaxDenseBytes; hint, when not empty, is appended to the error
// ("use --logdet cholesky"). Products are computed without overflow.
func CheckDense(rows, cols, copies int, what, hint string) error {
	if rows < 0 || cols < 0 || copies < 1 {
		return fmt.Errorf("spatial: %s: invalid dense size %d × %d", what, rows, cols)
	}
	bytes := 8 * float64(rows) * float64(cols) * float64(copies)
	if bytes <= MaxDenseBytes {
		return nil
	}
	msg := fmt.Sprintf("%s would need %s of memory (%d × %d", what, humanBytes(bytes), rows, cols)
	if copies > 1 {
		msg += fmt.Sprintf(", %d copies", copies)
	}
	msg += fmt.Sprintf("), above the %s limit", humanBytes(MaxDenseBytes))
	if hint != "" {
		msg += ": " + hint
	}
	return fmt.Errorf("%s", msg)
}

// humanBytes formats a byte count as GB or TB (powers of 1024).
func humanBytes(b float64) string {
	const gib = 1 << 30
	if b >= 1024*gib {
		return fmt.Sprintf("%.1f TB", b/(1024*gib))
	}
	return fmt.Sprintf("%.1f GB", b/gib)
}
