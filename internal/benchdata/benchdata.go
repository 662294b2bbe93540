// Package benchdata writes the large CSV inputs of agglo's reader
// benchmarks: a balanced panel (id, year, y, x1 … xk) and a long activity
// table (region, sector, year, employment), deterministically from a seed,
// so that every benchmark and agglo bench read the same bytes.
package benchdata

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
)

// Panel writes a balanced panel CSV of n regions ("r1" … "rn") and t
// periods (2001, 2002, …) in time-major order (all regions of a period,
// then the next period, as agglo bench --whole writes it), with columns
// id, year, y and k regressors x1 … xk drawn from N(0, 1) and written in
// the shortest form that reads back exactly (about 19 bytes each).
func Panel(w io.Writer, n, t, k int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, seed))
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("id,year,y")
	for j := 1; j <= k; j++ {
		bw.WriteString(",x" + strconv.Itoa(j))
	}
	bw.WriteByte('\n')
	var buf []byte
	for s := 0; s < t; s++ {
		for i := 0; i < n; i++ {
			buf = append(buf[:0], 'r')
			buf = strconv.AppendInt(buf, int64(i+1), 10)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, int64(2001+s), 10)
			for j := 0; j <= k; j++ {
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, rng.NormFloat64(), 'g', -1, 64)
			}
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	return bw.Flush()
}

// Long writes a long activity table of r regions ("R0000" …), s sectors
// ("S000" …) and t years (2001 …), one row per cell in year, region,
// sector order, with integer employment drawn uniformly from 1 … 5000.
func Long(w io.Writer, r, s, t int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, seed))
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("region,sector,year,employment\n")
	var buf []byte
	for k := 0; k < t; k++ {
		for i := 0; i < r; i++ {
			for j := 0; j < s; j++ {
				buf = append(buf[:0], 'R')
				buf = appendPadded(buf, i, 4)
				buf = append(buf, ",S"...)
				buf = appendPadded(buf, j, 3)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(2001+k), 10)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(1+rng.IntN(5000)), 10)
				buf = append(buf, '\n')
				bw.Write(buf)
			}
		}
	}
	return bw.Flush()
}

// appendPadded appends v in decimal with leading zeros to width digits.
func appendPadded(buf []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		buf = append(buf, '0')
	}
	return append(buf, s...)
}

// WriteFile creates the file at path, fills it with write (Panel or Long
// with their arguments) and returns its size in bytes.
func WriteFile(path string, write func(io.Writer) error) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	if err := write(f); err != nil {
		f.Close()
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	return st.Size(), f.Close()
}
