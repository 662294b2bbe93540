package table

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strconv"
	"unicode/utf8"
)

// DTA is a Stata data set (.dta, formats 117, 118 and 119: Stata 13 to
// 18) read whole.
//
// The format is StataCorp's "Description of the .dta file format" (Stata
// 13 dta 117; Stata 14–18 dta 118 and, beyond 32,767 variables, 119): a
// header, the variable types, names, formats, value-label names and
// labels, the data row by row, the long strings (strLs, "GSO" blocks) and
// the value-label tables, each section between XML-like tags.
type DTA struct {
	// Release is 117, 118 or 119.
	Release int
	// Label is the data set's label.
	Label string
	// Names are the variable names, Header of the table.
	Names []string
	// VarLabels are the variables' labels ("" when none).
	VarLabels []string
	// Formats are the display formats (%9.0g, %td, ...).
	Formats []string
	// LabelNames name each variable's value-label table ("" when none).
	LabelNames []string
	// ValueLabels are the value-label tables by name: code → label. The
	// cells hold the codes; these tables say what they mean.
	ValueLabels map[string]map[int32]string
	// Rows are the cells as text: integers in decimal, float and double
	// by strconv's shortest round-trip form (32 and 64 bits), strings and
	// strLs as UTF-8, and "" for Stata's missing values . and .a–.z.
	Rows [][]string
}

// Stata's variable types (dta 117–119).
const (
	dtaStrL   = 32768
	dtaDouble = 65526
	dtaFloat  = 65527
	dtaLong   = 65528
	dtaInt    = 65529
	dtaByte   = 65530
)

// Largest non-missing values: beyond them are . and .a–.z (Stata's
// [D] missing values; dta documentation, "Representation of numbers").
var (
	dtaMaxFloat  = math.Float32frombits(0x7effffff)
	dtaMaxDouble = math.Float64frombits(0x7fdfffffffffffff)
)

// dtaParser reads the sections of a .dta file in order.
type dtaParser struct {
	b   []byte
	pos int
	bo  binary.ByteOrder
	err error
}

func (p *dtaParser) fail(format string, a ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("byte %d: %s", p.pos, fmt.Sprintf(format, a...))
	}
}

// tag consumes the literal s.
func (p *dtaParser) tag(s string) {
	if p.err != nil {
		return
	}
	if !bytes.HasPrefix(p.b[p.pos:], []byte(s)) {
		p.fail("want %s", s)
		return
	}
	p.pos += len(s)
}

// peek reports whether the literal s comes next.
func (p *dtaParser) peek(s string) bool {
	return p.err == nil && bytes.HasPrefix(p.b[p.pos:], []byte(s))
}

// bytes consumes n bytes.
func (p *dtaParser) bytes(n uint64) []byte {
	if p.err != nil {
		return nil
	}
	if n > uint64(len(p.b)-p.pos) {
		p.fail("want %d more bytes, the file ends after %d", n, len(p.b)-p.pos)
		return nil
	}
	s := p.b[p.pos : p.pos+int(n)]
	p.pos += int(n)
	return s
}

// uint reads an unsigned integer of size 1, 2, 4 or 8 bytes.
func (p *dtaParser) uint(size int) uint64 {
	b := p.bytes(uint64(size))
	if b == nil {
		return 0
	}
	return p.uintOf(b)
}

// uintOf decodes an unsigned integer of 1 to 8 bytes in the file's order.
func (p *dtaParser) uintOf(b []byte) uint64 {
	var v uint64
	if p.bo == binary.LittleEndian {
		for i := len(b) - 1; i >= 0; i-- {
			v = v<<8 | uint64(b[i])
		}
	} else {
		for _, c := range b {
			v = v<<8 | uint64(c)
		}
	}
	return v
}

// cstring decodes a NUL-terminated field as UTF-8 (Latin-1 when it is not
// valid UTF-8, as files of Stata 13 may be).
func cstring(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// ReadDTA decodes a Stata .dta file of format 117, 118 or 119. Earlier
// formats (Stata 12 and before, 102–115) are refused with a message
// saying so. Errors give the byte offset of the fault.
func ReadDTA(b []byte) (*DTA, error) {
	p := &dtaParser{b: b}
	d := &DTA{ValueLabels: map[string]map[int32]string{}}
	if len(b) > 0 && b[0] != '<' {
		return nil, fmt.Errorf("not a Stata 13–18 file (format %d? formats before 117, Stata 12 and older, are not read: save it with Stata 13 or later, or as CSV)", b[0])
	}
	p.tag("<stata_dta><header><release>")
	rel, _ := strconv.Atoi(string(p.bytes(3)))
	if p.err == nil && (rel < 117 || rel > 119) {
		return nil, fmt.Errorf("dta format %d is not read (117, 118 and 119 are: Stata 13–18)", rel)
	}
	d.Release = rel
	p.tag("</release><byteorder>")
	switch string(p.bytes(3)) {
	case "LSF":
		p.bo = binary.LittleEndian
	case "MSF":
		p.bo = binary.BigEndian
	default:
		p.fail("byte order is neither LSF nor MSF")
	}
	ksize, nsize, lsize, namelen, fmtlen, vlablen, sortsize, vsize := 2, 8, 2, 129, 57, 321, 2, 2
	switch rel {
	case 117:
		nsize, lsize, namelen, fmtlen, vlablen, vsize = 4, 1, 33, 49, 81, 4
	case 119:
		ksize, sortsize, vsize = 4, 4, 3
	}
	p.tag("</byteorder><K>")
	k := p.uint(ksize)
	p.tag("</K><N>")
	n := p.uint(nsize)
	p.tag("</N><label>")
	d.Label = cstring(p.bytes(p.uint(lsize)))
	p.tag("</label><timestamp>")
	p.bytes(p.uint(1))
	p.tag("</timestamp></header><map>")
	p.bytes(14 * 8)
	p.tag("</map><variable_types>")
	if p.err != nil {
		return nil, p.err
	}
	if k > uint64(len(b)) {
		return nil, fmt.Errorf("%d variables in a file of %d bytes", k, len(b))
	}
	types := make([]uint16, k)
	width := uint64(0)
	for j := range types {
		types[j] = uint16(p.uint(2))
		t := types[j]
		switch {
		case t >= 1 && t <= 2045:
			width += uint64(t)
		case t == dtaStrL || t == dtaDouble:
			width += 8
		case t == dtaFloat || t == dtaLong:
			width += 4
		case t == dtaInt:
			width += 2
		case t == dtaByte:
			width++
		default:
			if p.err == nil {
				return nil, fmt.Errorf("variable %d: unknown type code %d", j+1, t)
			}
		}
	}
	p.tag("</variable_types><varnames>")
	d.Names = make([]string, k)
	for j := range d.Names {
		d.Names[j] = cstring(p.bytes(uint64(namelen)))
	}
	p.tag("</varnames><sortlist>")
	p.bytes((k + 1) * uint64(sortsize))
	p.tag("</sortlist><formats>")
	d.Formats = make([]string, k)
	for j := range d.Formats {
		d.Formats[j] = cstring(p.bytes(uint64(fmtlen)))
	}
	p.tag("</formats><value_label_names>")
	d.LabelNames = make([]string, k)
	for j := range d.LabelNames {
		d.LabelNames[j] = cstring(p.bytes(uint64(namelen)))
	}
	p.tag("</value_label_names><variable_labels>")
	d.VarLabels = make([]string, k)
	for j := range d.VarLabels {
		d.VarLabels[j] = cstring(p.bytes(uint64(vlablen)))
	}
	p.tag("</variable_labels><characteristics>")
	for p.peek("<ch>") {
		p.tag("<ch>")
		p.bytes(p.uint(4))
		p.tag("</ch>")
	}
	p.tag("</characteristics><data>")
	if p.err != nil {
		return nil, p.err
	}
	if width == 0 && n > 0 {
		return nil, fmt.Errorf("%d observations of no variables", n)
	}
	if width > 0 && n > uint64(len(b)-p.pos)/width {
		return nil, fmt.Errorf("%d observations of %d bytes do not fit in the %d bytes left", n, width, len(b)-p.pos)
	}
	type strl struct{ v, o uint64 }
	var strls []struct {
		row, col int
		key      strl
	}
	d.Rows = make([][]string, n)
	for i := range d.Rows {
		row := make([]string, k)
		for j, t := range types {
			switch {
			case t >= 1 && t <= 2045:
				row[j] = cstring(p.bytes(uint64(t)))
			case t == dtaStrL:
				z := p.bytes(8)
				if z == nil {
					continue
				}
				// (v, o): v in the first vsize bytes, o in the rest, each
				// in the file's byte order.
				key := strl{p.uintOf(z[:vsize]), p.uintOf(z[vsize:])}
				if key != (strl{}) {
					strls = append(strls, struct {
						row, col int
						key      strl
					}{i, j, key})
				}
			case t == dtaDouble:
				x := math.Float64frombits(p.uint(8))
				if !(x <= dtaMaxDouble) {
					continue // . .a–.z (and NaN)
				}
				row[j] = strconv.FormatFloat(x, 'g', -1, 64)
			case t == dtaFloat:
				x := math.Float32frombits(uint32(p.uint(4)))
				if !(x <= dtaMaxFloat) {
					continue
				}
				row[j] = strconv.FormatFloat(float64(x), 'g', -1, 32)
			case t == dtaLong:
				x := int32(uint32(p.uint(4)))
				if x > 2147483620 {
					continue
				}
				row[j] = strconv.FormatInt(int64(x), 10)
			case t == dtaInt:
				x := int16(uint16(p.uint(2)))
				if x > 32740 {
					continue
				}
				row[j] = strconv.FormatInt(int64(x), 10)
			case t == dtaByte:
				x := int8(uint8(p.uint(1)))
				if x > 100 {
					continue
				}
				row[j] = strconv.FormatInt(int64(x), 10)
			}
		}
		d.Rows[i] = row
	}
	p.tag("</data><strls>")
	gso := map[strl]string{}
	osize := 8
	if rel == 117 {
		osize = 4
	}
	for p.peek("GSO") {
		p.tag("GSO")
		key := strl{p.uint(4), p.uint(osize)}
		typ := p.uint(1)
		s := p.bytes(p.uint(4))
		if typ == 130 && len(s) > 0 && s[len(s)-1] == 0 {
			s = s[:len(s)-1] // ASCII strL with its terminating NUL
		}
		gso[key] = cstring(s)
	}
	p.tag("</strls><value_labels>")
	for p.peek("<lbl>") {
		p.tag("<lbl>")
		size := p.uint(4)
		name := cstring(p.bytes(uint64(namelen)))
		p.bytes(3)
		tab := p.bytes(size)
		p.tag("</lbl>")
		if p.err != nil {
			break
		}
		lt, err := dtaLabelTable(tab, p)
		if err != nil {
			return nil, fmt.Errorf("value labels %q: %w", name, err)
		}
		d.ValueLabels[name] = lt
	}
	p.tag("</value_labels></stata_dta>")
	if p.err != nil {
		return nil, p.err
	}
	for _, s := range strls {
		v, ok := gso[s.key]
		if !ok {
			return nil, fmt.Errorf("observation %d, variable %s: strL (%d, %d) is not in the file", s.row+1, d.Names[s.col], s.key.v, s.key.o)
		}
		d.Rows[s.row][s.col] = v
	}
	return d, nil
}

// dtaLabelTable decodes one value-label table: n, the text length, n
// offsets, n values, the text.
func dtaLabelTable(b []byte, p *dtaParser) (map[int32]string, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("table of %d bytes", len(b))
	}
	n := p.uintOf(b[:4])
	txtlen := p.uintOf(b[4:8])
	if n > uint64(len(b))/8 || 8+8*n+txtlen != uint64(len(b)) {
		return nil, fmt.Errorf("%d labels and %d bytes of text do not fill %d bytes", n, txtlen, len(b))
	}
	txt := b[8+8*n:]
	m := make(map[int32]string, n)
	for i := uint64(0); i < n; i++ {
		off := p.uintOf(b[8+4*i : 12+4*i])
		val := int32(uint32(p.uintOf(b[8+4*n+4*i : 12+4*n+4*i])))
		if off >= txtlen {
			return nil, fmt.Errorf("label %d starts at %d, beyond the text (%d bytes)", i+1, off, txtlen)
		}
		m[val] = cstring(txt[off:])
	}
	return m, nil
}

// openDTA reads a .dta file whole and serves its rows; row i is line
// i + 1, the header (the variable names) line 1.
func openDTA(path string) (*Reader, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, err := ReadDTA(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return FromRecords(path, append([][]string{d.Names}, d.Rows...)), nil
}
