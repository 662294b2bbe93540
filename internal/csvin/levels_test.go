package csvin

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"testing"
)

// firstAppearance interns cells with a map: the codes in order of first
// appearance and the levels (the reference for levels).
func firstAppearance(cells []string) (codes []int32, list []string) {
	m := map[string]int32{}
	for _, c := range cells {
		k, ok := m[c]
		if !ok {
			k = int32(len(list))
			m[c] = k
			list = append(list, c)
		}
		codes = append(codes, k)
	}
	return codes, list
}

// randomCells returns n cells drawn from about distinct strings of
// varied lengths (the empty one included), each repeated.
func randomCells(rng *rand.Rand, n, distinct int) []string {
	cells := make([]string, n)
	for i := range cells {
		k := rng.IntN(distinct)
		if k == 0 {
			cells[i] = ""
			continue
		}
		cells[i] = fmt.Sprintf("%x%s", k, string(rune('a' + k%26))[:k%2])
	}
	return cells
}

// TestLevelsTable interns random cells with real and degenerate hashes
// (constant: every level in one probe chain; equal low bits: one home,
// distinct tags; equal low 32 bits: every tag matches and the bytes
// decide), through the table's growth, and checks the codes and levels
// against interning in order of first appearance with a map, and that
// find gives every level's code and refuses other strings.
func TestLevelsTable(t *testing.T) {
	seed := maphash.MakeSeed()
	hashes := map[string]func(string) uint64{
		"maphash":   func(s string) uint64 { return maphash.String(seed, s) },
		"constant":  func(string) uint64 { return 12345 },
		"one home":  func(s string) uint64 { return maphash.String(seed, s) << 24 },
		"same tags": func(s string) uint64 { return maphash.String(seed, s)>>32<<32 | 7 },
		"few":       func(s string) uint64 { return maphash.String(seed, s) % 5 },
	}
	rng := rand.New(rand.NewPCG(16, 1))
	for name, hash := range hashes {
		for _, distinct := range []int{1, 3, 100, 3000} {
			cells := randomCells(rng, 4*distinct+10, distinct)
			wantCodes, wantList := firstAppearance(cells)
			lv := newLevels(seed)
			for k, c := range cells {
				// As a string (records) and as bytes (blocks).
				var got int32
				if k%2 == 0 {
					got = code(lv, c, hash(c))
				} else {
					got = code(lv, []byte(c), hash(c))
				}
				if got != wantCodes[k] {
					t.Fatalf("%s, %d distinct: cell %d %q: code %d, want %d", name, distinct, k, c, got, wantCodes[k])
				}
			}
			list := lv.strings()
			if fmt.Sprint(list) != fmt.Sprint(wantList) || len(list) != len(wantList) {
				t.Fatalf("%s, %d distinct: levels %q, want %q", name, distinct, list, wantList)
			}
			if lv.ix.n != len(wantList) || 2*lv.ix.n > len(lv.ix.slots) || len(wantList) > minSlots/2 && len(lv.ix.slots) == minSlots {
				t.Fatalf("%s, %d distinct: %d entries in %d slots for %d levels", name, distinct, lv.ix.n, len(lv.ix.slots), len(wantList))
			}
			for c, s := range wantList {
				if got, ok := lv.ix.find(list, s, hash(s)); !ok || got != int32(c) {
					t.Fatalf("%s: find(%q) = %d, %v, want %d", name, s, got, ok, c)
				}
			}
			for _, s := range []string{"zz", "-", "x-1", "ab1", fmt.Sprintf("%x", distinct+2)} {
				if got, ok := lv.ix.find(list, s, hash(s)); ok {
					t.Fatalf("%s: find(%q) = %d, not a level", name, s, got)
				}
			}
			// Levels added after strings extend the list.
			code(lv, "new level", hash("new level"))
			if l := lv.strings(); len(l) != len(wantList)+1 || l[len(l)-1] != "new level" || fmt.Sprint(l[:len(wantList)]) != fmt.Sprint(wantList) {
				t.Fatalf("%s: levels after a new one: %q", name, l)
			}
		}
	}
}

// TestSinksSharedLevels interns two Text columns sharing one table cell
// by cell, alternating, as a block's join (hashes given) and records
// (hashed by addText) do, with the previous-row and successor shortcuts,
// and checks the codes against interning in order of first appearance,
// row by row, and Column.Code. With few distinct hashes ("few": given
// for every cell) the table's probe chains are long and every cell meets
// the same entry of levels.recent (more than recentFrom levels).
func TestSinksSharedLevels(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	seed := maphash.MakeSeed()
	for _, c := range []struct {
		distinct int
		few      bool
	}{{2, false}, {50, false}, {5000, false}, {50, true}, {recentFrom + 500, true}} {
		distinct := c.distinct
		hash := func(s string) uint64 { return maphash.String(seed, s) }
		if c.few {
			hash = func(s string) uint64 { return maphash.String(seed, s) % 3 }
		}
		rows := 6 * distinct
		cells := make([]string, 0, 2*rows)
		for range rows {
			// Runs and repeated successions (a panel), and jumps.
			a := rng.IntN(distinct)
			if len(cells) > 0 && rng.IntN(3) > 0 {
				fmt.Sscanf(cells[len(cells)-2], "id%d", &a)
				a = (a + rng.IntN(2)) % distinct
			}
			cells = append(cells, fmt.Sprintf("id%d", a), fmt.Sprintf("id%d", rng.IntN(distinct)))
		}
		wantCodes, wantList := firstAppearance(cells)
		var from, to Sink
		spec := ColumnSpec{Kind: Text}
		from.init(spec, nil, seed)
		to.init(spec, from.lv, seed)
		for k, cell := range cells {
			s := &from
			if k%2 == 1 {
				s = &to
			}
			if c.few || rng.IntN(2) == 0 {
				addText(s, []byte(cell), hash(cell), true)
			} else {
				s.AddString(k/2, cell)
			}
		}
		a, b := from.Column(), to.Column()
		for k := range rows {
			if a.Codes[k] != wantCodes[2*k] || b.Codes[k] != wantCodes[2*k+1] {
				t.Fatalf("%d distinct: row %d: codes %d,%d, want %d,%d", distinct, k, a.Codes[k], b.Codes[k], wantCodes[2*k], wantCodes[2*k+1])
			}
		}
		if fmt.Sprint(a.Levels) != fmt.Sprint(wantList) || fmt.Sprint(b.Levels) != fmt.Sprint(wantList) {
			t.Fatalf("%d distinct: levels differ from first appearance", distinct)
		}
		for k, s := range wantList {
			if got, ok := b.ix.find(b.Levels, s, hash(s)); !ok || got != int32(k) {
				t.Fatalf("%d distinct: find(%q) = %d, %v, want %d", distinct, s, got, ok, k)
			}
			if !c.few {
				if got, ok := b.Code(s); !ok || got != int32(k) {
					t.Fatalf("%d distinct: Code(%q) = %d, %v, want %d", distinct, s, got, ok, k)
				}
			}
		}
		if got, ok := a.Code("id-1"); ok {
			t.Fatalf("Code(id-1) = %d, not a level", got)
		}
		if got, ok := (Column{Kind: Number}).Code("id0"); ok {
			t.Fatalf("a Number column's Code(id0) = %d", got)
		}
	}
}
