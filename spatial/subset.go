package spatial

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/agglo/agglo/internal/csvin"
)

// Restriction reports what Restrict changed.
type Restriction struct {
	// Dropped are the regions of the weights that are not kept, in the
	// weights' order.
	Dropped []string
	// Islands are the kept regions without neighbours afterwards (in the
	// weights' order), whether the removal made them islands or they were
	// already.
	Islands []string
}

// Restrict returns the weights of the regions of w listed in keep, in w's
// order, without the links to the others, recoded in w's style (Transform)
// so that, for row-standardised weights, every row that keeps a neighbour
// sums to one again:
//
//	w'_ij = g_ij / sum_{k kept} g_ik   (style W; B, C, U and S likewise)
//
// Weights of Unknown style keep their values. keep may list a region more
// than once; a region of keep that is not in w is an error naming it (the
// data then have a region the weights lack), as is keeping no region.
func (w *Weights) Restrict(keep []string) (*Weights, Restriction, error) {
	want := make(map[string]bool, len(keep))
	var unknown []string
	for _, id := range keep {
		if _, ok := w.index.get(id); !ok && !want[id] {
			unknown = append(unknown, id)
		}
		want[id] = true
	}
	if len(unknown) > 0 {
		return nil, Restriction{}, fmt.Errorf("spatial: %d region(s) to keep are not in the weights: %s", len(unknown), listIDs(unknown))
	}
	var rep Restriction
	var ids []string
	for _, id := range w.IDs() {
		if want[id] {
			ids = append(ids, id)
		} else {
			rep.Dropped = append(rep.Dropped, id)
		}
	}
	if len(ids) == 0 {
		return nil, Restriction{}, errors.New("spatial: no region to keep")
	}
	s, err := w.Subset(ids)
	if err != nil {
		return nil, Restriction{}, err
	}
	if s.style != Unknown && len(rep.Dropped) > 0 {
		if s, err = s.Transform(s.style); err != nil {
			return nil, Restriction{}, fmt.Errorf("spatial: re-standardising the kept regions: %w", err)
		}
	}
	for _, i := range s.Islands() {
		rep.Islands = append(rep.Islands, s.IDs()[i])
	}
	return s, rep, nil
}

// listIDs quotes up to ten IDs and counts the rest.
func listIDs(ids []string) string {
	const most = 10
	var q []string
	for i, id := range ids {
		if i == most {
			q = append(q, fmt.Sprintf("and %d more", len(ids)-most))
			break
		}
		q = append(q, fmt.Sprintf("%q", id))
	}
	return strings.Join(q, ", ")
}

// ReadIDs reads region IDs: with col "", a region list, one ID per line in
// order (blank lines and lines starting with # skipped; a repeated ID is an
// error naming the line); otherwise the distinct values of column
// col of a CSV file with a header row (a panel's region column), in order
// of first appearance. name labels the source in errors, which name the
// line.
func ReadIDs(r io.Reader, name, col string) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if col == "" {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("reading IDs %s: %w", name, err)
		}
		first := map[string]int{}
		for k, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if prev, dup := first[line]; dup {
				return nil, fmt.Errorf("%s: line %d: region %q repeated (first on line %d)", name, k+1, line, prev)
			}
			first[line] = k + 1
			add(line)
		}
	} else {
		cr := csvin.NewReader(r, 0)
		header, err := cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("reading IDs %s: empty file", name)
			}
			return nil, fmt.Errorf("reading IDs %s: %w", name, err)
		}
		c := -1
		for j, h := range header {
			if strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == col {
				c = j
			}
		}
		if c < 0 {
			return nil, fmt.Errorf("reading IDs %s: no column %q (columns: %s)", name, col, strings.Join(header, ", "))
		}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("reading IDs %s: %w", name, err)
			}
			if c < len(rec) {
				add(strings.TrimSpace(rec[c]))
			}
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("reading IDs %s: no IDs", name)
	}
	return ids, nil
}

// ReadIDsFile reads the IDs of the file at path (see ReadIDs).
func ReadIDsFile(path, col string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading IDs: %w", err)
	}
	defer f.Close()
	return ReadIDs(f, path, col)
}
