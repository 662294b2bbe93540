package plot

import (
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgpdf"
)

// pdfCanvas wraps the PDF canvas of gonum/plot for two of its limits:
//
//   - it embeds fonts in code page 1252, so text is encoded in it, and
//     characters outside it are replaced by close ASCII equivalents
//     ("≤" becomes "<=", "γ" "gamma") instead of garbage;
//   - it names every embedded font file alike, so that a PDF with two faces
//     draws the second with the glyphs of the first; PDF output therefore
//     uses the regular face only (bold titles are regular in PDF).
type pdfCanvas struct {
	*vgpdf.Canvas
}

func (c *pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if v, ok := strings.CutSuffix(string(f.Font.Variant), "Bold"); ok {
		reg := f.Font
		reg.Variant = font.Variant(v)
		if h, ok := textHandler().(text.Plain); ok && h.Fonts.Has(reg) {
			f = h.Fonts.Lookup(reg, f.Font.Size)
		}
	}
	c.Canvas.FillString(f, pt, toCP1252(s))
}

// cp1252 maps the Unicode characters of code page 1252's 0x80–0x9F block
// to their bytes.
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
}

var asciiFallback = map[rune]string{
	'≤': "<=", '≥': ">=", '−': "-", '≠': "!=", 'ρ': "rho", 'λ': "lambda",
	'β': "beta", 'σ': "sigma", 'α': "alpha", 'γ': "gamma", 'δ': "delta",
	'ε': "epsilon", 'θ': "theta", 'μ': "mu", 'τ': "tau", 'φ': "phi", 'χ': "chi",
	'ψ': "psi", 'ω': "omega", 'Δ': "Delta",
}

func toCP1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80 || (r >= 0xa0 && r <= 0xff):
			b.WriteByte(byte(r))
		case cp1252[r] != 0:
			b.WriteByte(cp1252[r])
		case asciiFallback[r] != "":
			b.WriteString(asciiFallback[r])
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
