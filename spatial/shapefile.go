package spatial

// Shapefile reader for polygon maps.
//
// Formats: ESRI Shapefile Technical Description, ESRI White Paper, July
// 1998 (the .shp main file: a 100-byte header, then records of a big-endian
// 8-byte header and a little-endian content); dBASE III Plus file structure
// (Ashton-Tate, 1985) for the .dbf attribute table. The .shx index is not
// needed to read the records in order and is not read.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// ShapefileOptions control ReadShapefile.
type ShapefileOptions struct {
	// Encoding of the .dbf text fields: "UTF-8", "GBK" (also CP936,
	// GB2312), "GB18030" or "ISO-8859-1" (Latin-1). Empty: the encoding
	// named by the .cpg file, or UTF-8 without one.
	Encoding string
}

// ReadShapefile reads a polygon shapefile: path names the .shp file, whose
// .dbf (required), .cpg and .prj (optional) siblings share its base name.
// The region ID is the attribute idField of the .dbf table (dBASE III
// fields of type C, N, F, L or D; numbers are written in their shortest
// form, as ReadGeoJSON does).
//
// Shape types 5 (Polygon), 15 (PolygonZ) and 25 (PolygonM) are read, the Z
// and M values being dropped. In a shapefile outer rings run clockwise and
// holes counter-clockwise (ESRI 1998, p. 8); each hole is assigned to the
// first outer ring that contains it (a counter-clockwise ring inside no
// outer ring is taken as an outer ring). A record with one outer ring
// becomes an orb.Polygon, one with several an orb.MultiPolygon. The rings
// are stored reversed, in the orientation of RFC 7946 GeoJSON (outer
// counter-clockwise, holes clockwise), as ReadGeoJSON returns them.
//
// A .prj holding a PROJCS declares projected coordinates: the Regions'
// Projected field is then set and LonLat reports false. A GEOGCS without
// PROJCS (or no .prj) leaves the decision to the coordinates' range, as for
// GeoJSON.
//
// Null shapes, other shape types, duplicate or missing IDs, text that is
// not valid in the encoding, and any length that runs past the end of its
// file are errors naming the file and record (counted from 1).
func ReadShapefile(path, idField string, opt ShapefileOptions) (*Regions, error) {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	shp, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	geoms, err := parseShp(shp)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dbfPath, err := sibling(base, ".dbf")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dbf, err := os.ReadFile(dbfPath)
	if err != nil {
		return nil, err
	}
	encName := opt.Encoding
	if encName == "" {
		if cpg, err := sibling(base, ".cpg"); err == nil {
			b, err := os.ReadFile(cpg)
			if err != nil {
				return nil, err
			}
			encName = strings.TrimSpace(string(b))
		}
	}
	enc, err := shapefileEncoding(encName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ids, err := parseDbfColumn(dbf, idField, enc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dbfPath, err)
	}
	if len(ids) != len(geoms) {
		return nil, fmt.Errorf("%s: %d shapes but %s has %d records", path, len(geoms), dbfPath, len(ids))
	}
	out := &Regions{IDs: ids, Polygons: geoms}
	seen := map[string]int{}
	for k, id := range ids {
		if prev, dup := seen[id]; dup {
			return nil, fmt.Errorf("%s: record %d: duplicate ID %q (also record %d)", dbfPath, k+1, id, prev+1)
		}
		seen[id] = k
	}
	if prj, err := sibling(base, ".prj"); err == nil {
		b, err := os.ReadFile(prj)
		if err != nil {
			return nil, err
		}
		out.Projected = strings.Contains(strings.ToUpper(string(b)), "PROJCS")
	}
	return out, nil
}

// sibling returns base+ext, trying the extension in lower then upper case.
func sibling(base, ext string) (string, error) {
	for _, e := range []string{ext, strings.ToUpper(ext)} {
		if _, err := os.Stat(base + e); err == nil {
			return base + e, nil
		}
	}
	return "", fmt.Errorf("no %s file beside it", ext)
}

// shapefileEncoding maps a .cpg or option name to a decoder; nil means
// UTF-8.
func shapefileEncoding(name string) (encoding.Encoding, error) {
	n := strings.ToUpper(strings.NewReplacer("-", "", "_", "", " ", "").Replace(name))
	switch n {
	case "", "UTF8":
		return nil, nil
	case "GBK", "CP936", "936", "GB2312", "WINDOWS936":
		return simplifiedchinese.GBK, nil
	case "GB18030":
		return simplifiedchinese.GB18030, nil
	case "ISO88591", "LATIN1", "88591":
		return charmap.ISO8859_1, nil
	}
	return nil, fmt.Errorf("unknown encoding %q (want UTF-8, GBK, GB18030 or ISO-8859-1)", name)
}

// parseShp reads the polygon records of a .shp file.
func parseShp(b []byte) ([]orb.Geometry, error) {
	if len(b) < 100 {
		return nil, fmt.Errorf("%d bytes: shorter than the 100-byte header", len(b))
	}
	if code := int32(binary.BigEndian.Uint32(b)); code != 9994 {
		return nil, fmt.Errorf("file code %d, not a shapefile (9994)", code)
	}
	switch st := int32(binary.LittleEndian.Uint32(b[32:])); st {
	case 5, 15, 25:
	default:
		return nil, fmt.Errorf("shape type %d: only polygons (5, 15, 25) are read", st)
	}
	var out []orb.Geometry
	pos := 100
	for rec := 1; pos < len(b); rec++ {
		if len(b)-pos < 8 {
			return nil, fmt.Errorf("record %d: truncated header at byte %d", rec, pos)
		}
		words := int64(int32(binary.BigEndian.Uint32(b[pos+4:])))
		n := words * 2
		if n < 4 || n > int64(len(b)-pos-8) {
			return nil, fmt.Errorf("record %d: content length %d bytes runs past the end of the file", rec, n)
		}
		g, err := parsePolygonRecord(b[pos+8 : pos+8+int(n)])
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", rec, err)
		}
		out = append(out, g)
		pos += 8 + int(n)
	}
	if len(out) == 0 {
		return nil, errors.New("no records")
	}
	return out, nil
}

// parsePolygonRecord reads one record's content (ESRI 1998, Table 7).
func parsePolygonRecord(c []byte) (orb.Geometry, error) {
	st := int32(binary.LittleEndian.Uint32(c))
	switch st {
	case 0:
		return nil, errors.New("null shape")
	case 5, 15, 25:
	default:
		return nil, fmt.Errorf("shape type %d is not a polygon", st)
	}
	if len(c) < 44 {
		return nil, fmt.Errorf("polygon content of %d bytes, shorter than 44", len(c))
	}
	nParts := int64(int32(binary.LittleEndian.Uint32(c[36:])))
	nPoints := int64(int32(binary.LittleEndian.Uint32(c[40:])))
	if nParts < 1 || nPoints < 1 {
		return nil, fmt.Errorf("%d parts and %d points", nParts, nPoints)
	}
	if 44+4*nParts+16*nPoints > int64(len(c)) {
		return nil, fmt.Errorf("%d parts and %d points do not fit in %d bytes", nParts, nPoints, len(c))
	}
	parts := make([]int, nParts+1)
	for i := range nParts {
		parts[i] = int(int32(binary.LittleEndian.Uint32(c[44+4*i:])))
	}
	parts[nParts] = int(nPoints)
	pts := c[44+4*nParts:]
	var rings []orb.Ring
	for i := range nParts {
		lo, hi := parts[i], parts[i+1]
		if lo < 0 || hi > int(nPoints) || hi-lo < 3 || (i == 0 && lo != 0) {
			return nil, fmt.Errorf("part %d: points %d..%d is not a ring of at least 3 of the %d points", i, lo, hi, nPoints)
		}
		ring := make(orb.Ring, hi-lo)
		for j := range ring {
			o := 16 * (lo + j)
			x := math.Float64frombits(binary.LittleEndian.Uint64(pts[o:]))
			y := math.Float64frombits(binary.LittleEndian.Uint64(pts[o+8:]))
			if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
				return nil, fmt.Errorf("part %d, point %d: coordinate (%g, %g) is not finite", i, j, x, y)
			}
			ring[j] = orb.Point{x, y}
		}
		rings = append(rings, ring)
	}
	// Outer rings clockwise, holes counter-clockwise (ESRI 1998, p. 8).
	var polys []orb.Polygon
	var holes []orb.Ring
	for _, r := range rings {
		if r.Orientation() == orb.CCW {
			holes = append(holes, r)
		} else {
			polys = append(polys, orb.Polygon{r})
		}
	}
	for _, h := range holes {
		placed := false
		for k := range polys {
			if planar.RingContains(polys[k][0], h[0]) {
				polys[k] = append(polys[k], h)
				placed = true
				break
			}
		}
		if !placed {
			polys = append(polys, orb.Polygon{h})
		}
	}
	// Store the rings as RFC 7946 GeoJSON does (outer counter-clockwise,
	// holes clockwise), so that a shapefile and its GeoJSON conversion give
	// the same polygons.
	for _, p := range polys {
		for _, r := range p {
			r.Reverse()
		}
	}
	if len(polys) == 1 {
		return polys[0], nil
	}
	return orb.MultiPolygon(polys), nil
}

// parseDbfColumn returns the values of field name in every record of a
// dBASE III table, as strings.
func parseDbfColumn(b []byte, name string, enc encoding.Encoding) ([]string, error) {
	if len(b) < 32 {
		return nil, fmt.Errorf("%d bytes: shorter than the 32-byte dBASE header", len(b))
	}
	nRec := int64(binary.LittleEndian.Uint32(b[4:]))
	hdrLen := int(binary.LittleEndian.Uint16(b[8:]))
	recLen := int(binary.LittleEndian.Uint16(b[10:]))
	if hdrLen < 33 || hdrLen > len(b) {
		return nil, fmt.Errorf("header length %d out of range (file has %d bytes)", hdrLen, len(b))
	}
	if int64(hdrLen)+nRec*int64(recLen) > int64(len(b)) {
		return nil, fmt.Errorf("%d records of %d bytes run past the end of the file", nRec, recLen)
	}
	off, width := -1, 0
	var ftype byte
	var names []string
	fieldOff := 1 // after the deletion flag
	for p := 32; p+32 <= hdrLen && b[p] != 0x0D; p += 32 {
		fn := string(bytes.TrimRight(bytes.SplitN(b[p:p+11], []byte{0}, 2)[0], " "))
		fl := int(b[p+16])
		if fn == name {
			off, width, ftype = fieldOff, fl, b[p+11]
		}
		names = append(names, fn)
		fieldOff += fl
	}
	if off < 0 {
		return nil, fmt.Errorf("no field %q (fields: %s)", name, strings.Join(names, ", "))
	}
	if off+width > recLen {
		return nil, fmt.Errorf("field %q at bytes %d..%d runs past the record length %d", name, off, off+width, recLen)
	}
	out := make([]string, nRec)
	for i := range out {
		raw := b[hdrLen+i*recLen+off : hdrLen+i*recLen+off+width]
		v, err := dbfValue(raw, ftype, enc)
		if err != nil {
			return nil, fmt.Errorf("record %d, field %q: %w", i+1, name, err)
		}
		if v == "" {
			return nil, fmt.Errorf("record %d, field %q: empty", i+1, name)
		}
		out[i] = v
	}
	return out, nil
}

// dbfValue converts one dBASE III field to a string.
func dbfValue(raw []byte, ftype byte, enc encoding.Encoding) (string, error) {
	switch ftype {
	case 'C':
		raw = bytes.TrimRight(raw, " \x00")
		if enc != nil {
			d, err := enc.NewDecoder().Bytes(raw)
			if err != nil {
				return "", fmt.Errorf("text not valid in the encoding: %w", err)
			}
			raw = d
		} else if !utf8.Valid(raw) {
			return "", errors.New("text is not valid UTF-8: give the encoding (.cpg file or the Encoding option)")
		}
		return strings.TrimSpace(string(raw)), nil
	case 'N', 'F':
		s := strings.TrimSpace(string(raw))
		if s == "" {
			return "", nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", fmt.Errorf("number %q: %w", s, err)
		}
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case 'L', 'D':
		return strings.TrimSpace(string(raw)), nil
	}
	return "", fmt.Errorf("field type %q is not one of C, N, F, L, D", ftype)
}
