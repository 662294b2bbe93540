package plot

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/agglo/agglo/internal/atomicfile"
)

// Figure is anything the package can draw: every chart and map type
// implements it. Draw returns an error for data that cannot be drawn (no
// regions, mismatched lengths …) before anything is drawn.
type Figure interface {
	Draw(c draw.Canvas) error
}

// Format is an output format.
type Format string

// The output formats.
const (
	PNG Format = "png"
	SVG Format = "svg"
	PDF Format = "pdf"
)

// FormatOf returns the format named by a file name's extension (.png,
// .svg, .pdf, case-insensitive).
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		return PNG, nil
	case ".svg":
		return SVG, nil
	case ".pdf":
		return PDF, nil
	}
	return "", fmt.Errorf("plot: %q: unknown figure format %q (want .png, .svg or .pdf)", path, filepath.Ext(path))
}

// Options sets the size and resolution of an output. The zero value means
// 16 cm × 12 cm at 300 DPI.
type Options struct {
	// Width and Height of the figure (vg.Centimeter, vg.Inch …).
	Width, Height vg.Length
	// DPI is the resolution of PNG output in dots per inch; SVG and PDF
	// are vector formats and ignore it.
	DPI int
}

func (o Options) withDefaults() Options {
	if o.Width <= 0 {
		o.Width = 16 * vg.Centimeter
	}
	if o.Height <= 0 {
		o.Height = 12 * vg.Centimeter
	}
	if o.DPI <= 0 {
		o.DPI = 300
	}
	return o
}

// ParseLength parses a length with a unit: "12cm", "85mm", "6.5in",
// "400pt" (a bare number is in points).
func ParseLength(s string) (vg.Length, error) {
	l, err := vg.ParseLength(strings.TrimSpace(s))
	if err != nil || l <= 0 {
		return 0, fmt.Errorf("plot: bad length %q (want a positive number with unit cm, mm, in or pt)", s)
	}
	return l, nil
}

// Write draws f and writes it to w in the given format. Fonts are embedded
// in SVG and PDF output.
func Write(w io.Writer, f Figure, format Format, opt Options) error {
	opt = opt.withDefaults()
	var cw vg.CanvasWriterTo
	switch format {
	case PNG:
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(opt.Width, opt.Height), vgimg.UseDPI(opt.DPI))}
	case SVG:
		cw = vgsvg.NewWith(vgsvg.UseWH(opt.Width, opt.Height), vgsvg.EmbedFonts(true))
	case PDF:
		c := vgpdf.New(opt.Width, opt.Height)
		c.EmbedFonts(true)
		cw = &pdfCanvas{Canvas: c}
	default:
		return fmt.Errorf("plot: unknown format %q", format)
	}
	dc := draw.New(cw)
	if err := drawSafely(f, dc); err != nil {
		return err
	}
	if format != PDF {
		_, err := cw.WriteTo(w)
		return err
	}
	var buf bytes.Buffer
	if _, err := cw.WriteTo(&buf); err != nil {
		return err
	}
	_, err := w.Write(fixPDFDates(buf.Bytes()))
	return err
}

// pdfDate matches the clock time the PDF back end writes into the
// document information (/CreationDate and /ModDate).
var pdfDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:\d{14}\)`)

// fixPDFDates replaces the PDF's creation and modification times by the
// Unix epoch, so that the same figure gives the same bytes on every run.
// The replacement has the same length, so the cross-reference offsets
// stay right.
func fixPDFDates(b []byte) []byte {
	return pdfDate.ReplaceAllFunc(b, func(m []byte) []byte {
		i := bytes.Index(m, []byte("(D:"))
		return append(m[:i:i], "(D:19700101000000)"...)
	})
}

// drawSafely draws f, turning a panic of the drawing back end (a font
// that cannot be encoded …) into an error.
func drawSafely(f Figure, dc draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plot: drawing failed: %v", r)
		}
	}()
	return f.Draw(dc)
}

// Save draws f and writes it to path, in the format given by the
// extension. The file is written whole or not at all: the figure goes to a
// temporary file in the same folder that is renamed over path only when
// complete.
func Save(path string, f Figure, opt Options) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := Write(&buf, f, format, opt); err != nil {
		return fmt.Errorf("drawing %s: %w", path, err)
	}
	return WriteFileAtomic(path, buf.Bytes())
}

// WriteFileAtomic writes data to path whole or not at all: through a
// temporary file in the same folder and a rename for a regular file, in
// place for a device or FIFO, to its target for a symbolic link
// (atomicfile.WriteFile).
func WriteFileAtomic(path string, data []byte) error {
	return atomicfile.WriteFile(path, data)
}
