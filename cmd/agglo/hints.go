package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
)

// withFlagHint adds to the library's errors the flag that avoids them:
// --drop-missing for missing values, --drop-collinear for a collinear or
// (under fixed effects) time-invariant regressor, --time for a region with
// several rows in what was read as a cross-section.
func withFlagHint(err error) error {
	switch {
	case errors.Is(err, regress.ErrMissingValues):
		return fmt.Errorf("%w; --drop-missing drops these rows (listwise)", err)
	case errors.Is(err, regress.ErrRepeatedRegion):
		return fmt.Errorf("%w; a panel needs --time COL", err)
	case errors.Is(err, regress.ErrCollinear):
		return fmt.Errorf("%w; --drop-collinear drops it with a note", err)
	}
	return err
}

// idHint explains a mismatch between the data's region IDs and the
// weights' when the weights are numbered 1..N (or 0..N−1), as the indices
// of a GWT or GAL file, and the data's IDs are not numbers: the data need
// the column holding those numbers as --id. It returns "" otherwise.
func idHint(w *spatial.Weights, dataIDs []string) string {
	ids := w.IDs()
	if len(ids) == 0 || len(dataIDs) == 0 {
		return ""
	}
	lo, hi := 0, 0
	for i, id := range ids {
		n, err := strconv.Atoi(id)
		if err != nil {
			return ""
		}
		if i == 0 || n < lo {
			lo = n
		}
		if i == 0 || n > hi {
			hi = n
		}
	}
	if (lo != 0 && lo != 1) || hi-lo+1 != len(ids) {
		return ""
	}
	for _, id := range dataIDs {
		if _, err := strconv.Atoi(id); err == nil {
			return ""
		}
	}
	return fmt.Sprintf("the weights' regions are the numbers %d–%d (indices, as in a GWT or GAL file) and the data's are names such as %q: give --id the data column that holds these numbers in the weights' order, or use weights whose IDs are the regions' names", lo, hi, dataIDs[0])
}
