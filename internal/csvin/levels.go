package csvin

import "hash/maphash"

// levels interns the cells of one or more Text columns: codes in order of
// first appearance, found through an open-addressing table keyed by a
// hash of the cell (hash/maphash, one seed per reading, so that the
// parse workers hash the cells of a block in parallel before the join).
// The text of the levels lies end to end in one buffer (no string per
// level while reading); Column turns it into strings once.
type levels struct {
	ix   *codeIndex
	text []byte  // the levels, end to end
	ends []int   // ends[c]: the end of level c in text (its start is ends[c-1], or 0)
	succ []int32 // per code, the code that followed it last, -1 if none
	list []string
	// recent holds a cell seen lately as an entry of ix (the low 32 bits
	// of its hash above 1 + its code; 0: none), by the top bits of its
	// hash: a cell seen some rows before (an edge list's neighbours, a
	// panel's regions in a period) is found in this small table, in
	// cache, rather than in ix, whose entries miss the caches when it
	// holds many levels; the bytes are compared only when the hash bits
	// match. It is made once there are recentFrom levels.
	recent []uint64
}

// recentBits is the log2 of the number of entries of levels.recent,
// recentFrom the number of levels from which it is used.
const (
	recentBits = 15
	recentFrom = 1 << 12
)

// codeIndex finds a level's code by the hash of its text: slots is an
// open-addressing table (linear probing, a power of 2 long, at most half
// full) whose entries hold the low 32 bits of a level's hash above 1 +
// its code (0: empty). A slot's home is the hash modulo the length, so
// the table grows without hashing the levels again.
type codeIndex struct {
	seed  maphash.Seed
	slots []uint64
	n     int // entries
}

// minSlots is the length of a new codeIndex table.
const minSlots = 64

// newLevels returns empty levels hashing with seed.
func newLevels(seed maphash.Seed) *levels {
	return &levels{ix: &codeIndex{seed: seed, slots: make([]uint64, minSlots)}}
}

// hashCell returns the hash of cell b with seed.
func hashCell[T string | []byte](seed maphash.Seed, b T) uint64 {
	if s, ok := any(b).(string); ok {
		return maphash.String(seed, s)
	}
	return maphash.Bytes(seed, any(b).([]byte))
}

// level returns the text of level c.
func (lv *levels) level(c int32) []byte {
	start := 0
	if c > 0 {
		start = lv.ends[c-1]
	}
	return lv.text[start:lv.ends[c]]
}

// code returns the code of the cell b, whose hash is h, adding it as a
// new level if it is not one.
func code[T string | []byte](lv *levels, b T, h uint64) int32 {
	ix := lv.ix
	mask := uint64(len(ix.slots) - 1)
	tag := uint64(uint32(h))
	i := h & mask
	for {
		e := ix.slots[i]
		if e == 0 {
			break
		}
		if e>>32 == tag {
			if c := int32(uint32(e)) - 1; string(lv.level(c)) == string(b) {
				return c
			}
		}
		i = (i + 1) & mask
	}
	c := int32(len(lv.ends))
	lv.text = append(doubled(lv.text, len(b)), b...)
	lv.ends = append(doubled(lv.ends, 1), len(lv.text))
	lv.succ = append(doubled(lv.succ, 1), -1)
	ix.slots[i] = tag<<32 | uint64(uint32(c+1))
	if ix.n++; 2*ix.n > len(ix.slots) {
		ix.grow()
	}
	return c
}

// doubled returns s with room for extra more elements: s itself, or a
// copy with twice the capacity needed. append grows a large slice by a
// quarter at a time, so that a column of a million levels would allocate
// (and copy) its text, ends and successors five times over in all, in
// fresh memory; doubling allocates them twice over.
func doubled[E any](s []E, extra int) []E {
	if len(s)+extra <= cap(s) {
		return s
	}
	t := make([]E, len(s), max(2*(len(s)+extra), 64))
	copy(t, s)
	return t
}

// grow doubles the table.
func (ix *codeIndex) grow() {
	slots := make([]uint64, 2*len(ix.slots))
	mask := uint64(len(slots) - 1)
	for _, e := range ix.slots {
		if e == 0 {
			continue
		}
		i := e >> 32 & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = e
	}
	ix.slots = slots
}

// find returns the code of level s among list (the levels indexed),
// with hash h.
func (ix *codeIndex) find(list []string, s string, h uint64) (int32, bool) {
	mask := uint64(len(ix.slots) - 1)
	tag := uint64(uint32(h))
	for i := h & mask; ; i = (i + 1) & mask {
		e := ix.slots[i]
		if e == 0 {
			return 0, false
		}
		if c := int(uint32(e)) - 1; e>>32 == tag && c < len(list) && list[c] == s {
			return int32(c), true
		}
	}
}

// strings returns the levels as strings, in order of their codes: views
// into one string per call that finds new levels.
func (lv *levels) strings() []string {
	n := len(lv.ends)
	if k := len(lv.list); k < n {
		start := 0
		if k > 0 {
			start = lv.ends[k-1]
		}
		all := string(lv.text[start:])
		lv.list = append(lv.list, make([]string, n-k)...)
		from := 0
		for c := k; c < n; c++ {
			to := lv.ends[c] - start
			lv.list[c] = all[from:to]
			from = to
		}
	}
	return lv.list
}
