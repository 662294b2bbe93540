package table

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// openParquet streams the rows of a Parquet file, a batch at a time. The
// schema must be flat: every leaf a column of the header, none repeated.
func openParquet(path string) (r *Reader, err error) {
	defer guard(path, &err)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Reader, error) {
		f.Close()
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return fail(fmt.Errorf("%s: %w", path, err))
	}
	schema := pf.Schema()
	cols := schema.Columns()
	header := make([]string, len(cols))
	kinds := make([]func(parquet.Value) (string, error), len(cols))
	for j, c := range cols {
		header[j] = strings.Join(c, ".")
		leaf, ok := schema.Lookup(c...)
		if !ok {
			return fail(fmt.Errorf("%s: column %q: not a leaf column", path, header[j]))
		}
		if leaf.MaxRepetitionLevel > 0 {
			return fail(fmt.Errorf("%s: column %q is repeated (a list): only flat tables are read", path, header[j]))
		}
		if kinds[j], err = parquetCell(leaf.Node); err != nil {
			return fail(fmt.Errorf("%s: column %q: %w", path, header[j], err))
		}
	}
	pr := parquet.NewReader(pf)
	buf := make([]parquet.Row, 256)
	var pending []parquet.Row
	line := 1
	headerDone := false
	next := func() (rec []string, ln int, err error) {
		defer guard(path, &err)
		if !headerDone {
			headerDone = true
			return header, 1, nil
		}
		if len(pending) == 0 {
			n, err := pr.ReadRows(buf)
			if n == 0 {
				if err == nil || errors.Is(err, io.EOF) {
					return nil, 0, io.EOF
				}
				return nil, 0, err
			}
			pending = buf[:n]
		}
		row := pending[0]
		pending = pending[1:]
		line++
		rec = make([]string, len(header))
		for _, v := range row {
			j := v.Column()
			if j < 0 || j >= len(rec) {
				return nil, 0, fmt.Errorf("row %d: value of unknown column %d", line-1, j)
			}
			if v.IsNull() {
				continue
			}
			if rec[j], err = kinds[j](v); err != nil {
				return nil, 0, fmt.Errorf("row %d, column %q: %w", line-1, header[j], err)
			}
		}
		return rec, line, nil
	}
	return &Reader{name: path, next: next, close: func() error {
		pr.Close()
		return f.Close()
	}}, nil
}

// parquetCell returns the formatter of a leaf column's values: integers
// in decimal, floats by strconv's shortest round-trip form, byte arrays as
// text. A decimal logical type is scaled; other binary columns are refused.
func parquetCell(n parquet.Node) (func(parquet.Value) (string, error), error) {
	lt := n.Type().LogicalType()
	scale := 0
	if lt != nil {
		if d, ok := lt.Value.(*format.DecimalType); ok {
			scale = int(d.Scale)
		}
	}
	decimal := func(s string) string {
		if scale == 0 {
			return s
		}
		return s + "e-" + strconv.Itoa(scale)
	}
	switch n.Type().Kind() {
	case parquet.Boolean:
		return func(v parquet.Value) (string, error) {
			if v.Boolean() {
				return "1", nil
			}
			return "0", nil
		}, nil
	case parquet.Int32:
		return func(v parquet.Value) (string, error) { return decimal(strconv.FormatInt(int64(v.Int32()), 10)), nil }, nil
	case parquet.Int64:
		return func(v parquet.Value) (string, error) { return decimal(strconv.FormatInt(v.Int64(), 10)), nil }, nil
	case parquet.Float:
		return func(v parquet.Value) (string, error) {
			return strconv.FormatFloat(float64(v.Float()), 'g', -1, 32), nil
		}, nil
	case parquet.Double:
		return func(v parquet.Value) (string, error) { return strconv.FormatFloat(v.Double(), 'g', -1, 64), nil }, nil
	case parquet.ByteArray, parquet.FixedLenByteArray:
		if scale > 0 {
			return nil, fmt.Errorf("binary decimal columns are not read: store it as a double")
		}
		return func(v parquet.Value) (string, error) { return string(v.ByteArray()), nil }, nil
	}
	return nil, fmt.Errorf("type %s is not read", n.Type())
}
