package csvin

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
)

// parseFloat parses the plain decimal forms of a number that CSV files
// hold, [+-]digits[.digits][(e|E)[+-]digits] with at most 19 significant
// digits, to the float64 nearest to it, as strconv.ParseFloat does. ok
// is false for every other text (and for values it leaves to strconv:
// overflow, subnormals, halfway cases), which the caller then gives to
// strconv.ParseFloat, so that the result never differs from it.
//
// Exact cases use Clinger's fast path (Clinger 1990, "How to read
// floating point numbers accurately", PLDI, doi:10.1145/93542.93557);
// the others the Eisel–Lemire algorithm (Lemire 2021, "Number parsing at
// a gigabyte per second", Software: Practice and Experience 51(8),
// doi:10.1002/spe.2984), as Go's strconv does since Go 1.16.
func parseFloat(b []byte) (f float64, ok bool) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i++
	}
	// Digits before and after the point; nd counts the significant ones
	// (from the first non-zero digit).
	var man uint64
	exp, nd := 0, 0
	start := i
	i, man, nd = readDigits(b, i, man, nd)
	digits := i > start
	if i < len(b) && b[i] == '.' {
		frac := i + 1
		i, man, nd = readDigits(b, frac, man, nd)
		exp = frac - i
		digits = digits || i > frac
	}
	if nd > 19 {
		return 0, false // the mantissa may have overflowed: strconv
	}
	if !digits {
		return 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		sign := 1
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			if b[i] == '-' {
				sign = -1
			}
			i++
		}
		start, e := i, 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if e < 100000 {
				e = e*10 + int(b[i]-'0')
			}
		}
		if i == start {
			return 0, false
		}
		exp += sign * e
	}
	if i != len(b) {
		return 0, false
	}
	if man == 0 {
		if neg {
			return math.Copysign(0, -1), true
		}
		return 0, true
	}
	// Clinger: the mantissa and the power of ten are exact float64s, so
	// one correctly rounded operation gives the nearest float64.
	if man <= 1<<53 && exp >= -22 && exp <= 22 {
		f = float64(man)
		if exp >= 0 {
			f *= exactPow10[exp]
		} else {
			f /= exactPow10[-exp]
		}
		if neg {
			f = -f
		}
		return f, true
	}
	return eiselLemire(man, exp, neg)
}

// readDigits reads the decimal digits of b from i into the mantissa man,
// counting in nd the significant ones (from the first non-zero); man is
// meaningless once nd passes 19. It returns the index after them. Runs of
// eight digits are read at once (SWAR: Lemire 2021, section 5; Langdale
// and Lemire 2019, "Parsing gigabytes of JSON per second", VLDB Journal
// 28(6), doi:10.1007/s00778-019-00578-5).
func readDigits(b []byte, i int, man uint64, nd int) (int, uint64, int) {
	if man == 0 {
		// Leading zeros are not significant.
		for i < len(b) && b[i] == '0' {
			i++
		}
	}
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:])
		if !eightDigits(x) {
			break
		}
		man = man*100000000 + parseEight(x)
		nd += 8
		i += 8
	}
	for ; i < len(b); i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		man = man*10 + uint64(c)
		nd++
	}
	return i, man, nd
}

// eightDigits reports whether the eight bytes of x (little-endian) are
// all ASCII digits.
func eightDigits(x uint64) bool {
	return x&0xF0F0F0F0F0F0F0F0 == 0x3030303030303030 &&
		(x+0x0606060606060606)&0xF0F0F0F0F0F0F0F0 == 0x3030303030303030
}

// parseEight returns the value of the eight ASCII digits in x, the first
// in the lowest byte.
func parseEight(x uint64) uint64 {
	x -= 0x3030303030303030
	x = x*10 + x>>8 // pairs of digits in every other byte
	x = ((x&0x000000FF000000FF)*(100+1000000<<32) + (x>>16&0x000000FF000000FF)*(1+10000<<32)) >> 32
	return uint64(uint32(x))
}

// exactPow10 holds the powers of ten that float64 represents exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// pow10Min and pow10Max bound the exponents of pow10Tab; numbers beyond
// them go to strconv.
const (
	pow10Min = -100
	pow10Max = 100
)

// pow10Tab holds 10^e for e in [pow10Min, pow10Max] as 128-bit mantissas
// rounded down, with the high bit set ({high, low} words), the table of
// the Eisel–Lemire algorithm, computed once with math/big.
var pow10Tab = makePow10Tab()

func makePow10Tab() [][2]uint64 {
	tab := make([][2]uint64, pow10Max-pow10Min+1)
	ten := big.NewInt(10)
	for e := pow10Min; e <= pow10Max; e++ {
		p := new(big.Int).Exp(ten, big.NewInt(int64(abs(e))), nil)
		var m *big.Int
		if e >= 0 {
			m = p
			if n := m.BitLen(); n > 128 {
				m = new(big.Int).Rsh(m, uint(n-128))
			} else {
				m = new(big.Int).Lsh(m, uint(128-n))
			}
		} else {
			// floor(2^k / 10^-e) with exactly 128 bits.
			k := uint(127 + p.BitLen())
			m = new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), k), p)
			if m.BitLen() > 128 {
				m.Quo(new(big.Int).Lsh(big.NewInt(1), k-1), p)
			}
		}
		lo := new(big.Int).And(m, new(big.Int).SetUint64(math.MaxUint64))
		hi := new(big.Int).Rsh(m, 64)
		tab[e-pow10Min] = [2]uint64{hi.Uint64(), lo.Uint64()}
	}
	return tab
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// eiselLemire returns the float64 nearest to man × 10^exp10 (man > 0, at
// most 19 digits), or ok false when it cannot decide cheaply (then
// strconv does).
func eiselLemire(man uint64, exp10 int, neg bool) (float64, bool) {
	if exp10 < pow10Min || exp10 > pow10Max {
		return 0, false
	}
	pow := pow10Tab[exp10-pow10Min]
	// Normalisation.
	clz := bits.LeadingZeros64(man)
	man <<= uint(clz)
	retExp2 := uint64(217706*exp10>>16+64+1023) - uint64(clz)
	// Multiplication.
	xHi, xLo := bits.Mul64(man, pow[0])
	// Wider approximation.
	if xHi&0x1FF == 0x1FF && xLo+man < man {
		yHi, yLo := bits.Mul64(man, pow[1])
		mergedHi, mergedLo := xHi, xLo+yHi
		if mergedLo < xLo {
			mergedHi++
		}
		if mergedHi&0x1FF == 0x1FF && mergedLo+1 == 0 && yLo+man < man {
			return 0, false
		}
		xHi, xLo = mergedHi, mergedLo
	}
	// Shifting to 54 bits.
	msb := xHi >> 63
	retMantissa := xHi >> (msb + 9)
	retExp2 -= 1 ^ msb
	// Halfway ambiguity.
	if xLo == 0 && xHi&0x1FF == 0 && retMantissa&3 == 1 {
		return 0, false
	}
	// From 54 to 53 bits.
	retMantissa += retMantissa & 1
	retMantissa >>= 1
	if retMantissa>>53 > 0 {
		retMantissa >>= 1
		retExp2++
	}
	// Subnormal, infinite or NaN: left to strconv.
	if retExp2-1 >= 0x7FF-1 {
		return 0, false
	}
	retBits := retExp2<<52 | retMantissa&(1<<52-1)
	if neg {
		retBits |= 1 << 63
	}
	return math.Float64frombits(retBits), true
}
