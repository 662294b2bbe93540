package regress

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/agglo/agglo/internal/csvin"
)

// ReadLabels reads variable labels for tables and plots: a CSV of two
// columns, the raw term as the formula writes it and its label,
//
//	name,label
//	log(pcap),Public capital (log)
//	unemp,Unemployment rate (%)
//
// with an optional header row "name,label". A sector groups file (as
// index.ReadGroups reads, with a name column: "sector,group,name") labels
// each sector code with its name: a header row with the columns sector
// and name takes those two columns and ignores the others. name (a file
// name) prefixes errors, which give the line: a row without exactly two
// fields (or too few for the header's columns), an empty name or a name
// given twice.
func ReadLabels(r io.Reader, name string) (map[string]string, error) {
	cr := csvin.NewReader(r, 0)
	labels := map[string]string{}
	line := 0
	ki, li := 0, 1 // the columns of the name and the label
	width := 2
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line++
		if line == 1 && len(rec) == 2 && strings.EqualFold(strings.TrimSpace(rec[0]), "name") && strings.EqualFold(strings.TrimSpace(rec[1]), "label") {
			continue
		}
		if line == 1 {
			if s, n := headerColumn(rec, "sector"), headerColumn(rec, "name"); s >= 0 && n >= 0 {
				ki, li, width = s, n, len(rec)
				continue
			}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != width {
			if width == 2 {
				return nil, fmt.Errorf("%s: line %d: want two fields, name,label (got %d)%s", name, line, len(rec), cr.Hint())
			}
			return nil, fmt.Errorf("%s: line %d: %d fields, the header has %d", name, line, len(rec), width)
		}
		term := strings.TrimSpace(rec[ki])
		if term == "" {
			return nil, fmt.Errorf("%s: line %d: empty name", name, line)
		}
		if _, dup := labels[term]; dup {
			return nil, fmt.Errorf("%s: line %d: %q is labelled twice", name, line, term)
		}
		labels[term] = strings.TrimSpace(rec[li])
	}
	return labels, nil
}

// headerColumn returns the index of the column col in the header rec
// (case-insensitive, a byte-order mark ignored), −1 when absent.
func headerColumn(rec []string, col string) int {
	for i, h := range rec {
		if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), col) {
			return i
		}
	}
	return -1
}

// ReadLabelsFile reads the labels file at path (see ReadLabels).
func ReadLabelsFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading labels: %w", err)
	}
	defer f.Close()
	return ReadLabels(f, path)
}
