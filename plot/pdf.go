package plot

import (
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgpdf"
)

// pdfCanvas wraps the PDF canvas to encode text in code page 1252, the
// encoding vgpdf embeds its fonts with: characters outside it are replaced
// by close ASCII equivalents instead of garbage.
type pdfCanvas struct {
	*vgpdf.Canvas
}

func (c *pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
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
