package spatial

// nestedDissection returns a fill-reducing ordering (order[k] = vertex
// eliminated k-th) of the undirected graph with adjacency lists
// adj[ptr[v]:ptr[v+1]] (no self-loops, symmetric), by nested dissection
// with level-structure separators (George 1973; George and Liu 1981, ch. 8):
// each connected piece is split by the middle level of a breadth-first
// level structure rooted at a pseudo-peripheral vertex, the two halves are
// ordered first (recursively) and the separator last. On a k×k grid the
// separators have O(k) vertices, so the Cholesky factor has O(N log N)
// non-zeros and costs O(N^{3/2}) flops.
//
// When the first split covers the whole (connected) graph, topA and topB
// are the sizes of its two halves: rows [0, topA) and [topA, topA+topB) of
// the factor are independent and can be computed in parallel.
func nestedDissection(n int, ptr []int, adj []int32) (order []int32, topA, topB int) {
	nd := &ndState{
		ptr:     ptr,
		adj:     adj,
		verts:   make([]int32, n),
		part:    make([]int32, n),
		level:   make([]int32, n),
		queue:   make([]int32, 0, n),
		scratch: make([]int32, 0, n),
	}
	for i := range nd.verts {
		nd.verts[i] = int32(i)
	}
	nd.next = 1
	nd.dissect(0, n, 0)
	return nd.verts, nd.topA, nd.topB
}

type ndState struct {
	ptr     []int
	adj     []int32
	verts   []int32 // verts[lo:hi] is the subset being ordered; ends as the order
	part    []int32 // subset id of each vertex; −1 once placed
	level   []int32
	queue   []int32
	scratch []int32
	next    int32
	topA    int
	topB    int
	split   bool
}

const ndLeaf = 64

// bfs runs a breadth-first search from root within subset id, writing
// levels and the visit order to nd.queue, and returns the number of levels.
func (nd *ndState) bfs(root, id int32) int32 {
	q := nd.queue[:0]
	q = append(q, root)
	nd.level[root] = 0
	mark := nd.part
	mark[root] = -2 - id // visited within this subset
	var depth int32
	for h := 0; h < len(q); h++ {
		v := q[h]
		lv := nd.level[v]
		depth = lv
		for _, u := range nd.adj[nd.ptr[v]:nd.ptr[v+1]] {
			if mark[u] == id {
				mark[u] = -2 - id
				nd.level[u] = lv + 1
				q = append(q, u)
			}
		}
	}
	for _, v := range q {
		mark[v] = id
	}
	nd.queue = q
	return depth + 1
}

func (nd *ndState) dissect(lo, hi int, id int32) {
	// Split the subset into its connected components and dissect each.
	for lo < hi {
		if hi-lo <= ndLeaf {
			nd.place(lo, hi)
			return
		}
		nd.bfs(nd.verts[lo], id)
		comp := len(nd.queue)
		if comp == hi-lo {
			nd.dissectConnected(lo, hi, id)
			return
		}
		a := nd.next
		nd.next++
		for _, v := range nd.queue {
			nd.part[v] = a
		}
		rest := nd.scratch[:0]
		for _, v := range nd.verts[lo:hi] {
			if nd.part[v] == id {
				rest = append(rest, v)
			}
		}
		copy(nd.verts[lo:], nd.queue)
		copy(nd.verts[lo+comp:], rest)
		nd.dissectConnected(lo, lo+comp, a)
		lo += comp
	}
}

func (nd *ndState) place(lo, hi int) {
	for _, v := range nd.verts[lo:hi] {
		nd.part[v] = -1
	}
}

// dissectConnected orders the connected subset verts[lo:hi] with id.
func (nd *ndState) dissectConnected(lo, hi int, id int32) {
	size := hi - lo
	if size <= ndLeaf {
		nd.place(lo, hi)
		return
	}
	// Pseudo-peripheral root: restart from a last-level vertex of least
	// degree while the depth grows (at most three searches).
	depth := nd.bfs(nd.verts[lo], id)
	for it := 0; it < 2; it++ {
		q := nd.queue
		best := q[len(q)-1]
		bd := nd.ptr[best+1] - nd.ptr[best]
		for k := len(q) - 1; k >= 0 && nd.level[q[k]] == depth-1; k-- {
			if d := nd.ptr[q[k]+1] - nd.ptr[q[k]]; d < bd {
				best, bd = q[k], d
			}
		}
		d2 := nd.bfs(best, id)
		grew := d2 > depth
		depth = d2
		if !grew {
			break
		}
	}
	if depth < 3 {
		nd.place(lo, hi)
		return
	}
	// Middle level: where the cumulative count passes half.
	q := nd.queue
	sepLevel := nd.level[q[size/2]]
	if sepLevel == 0 {
		sepLevel = 1
	}
	if sepLevel == depth-1 {
		sepLevel = depth - 2
	}
	a, b := nd.next, nd.next+1
	nd.next += 2
	var na, nb int
	for _, v := range q {
		switch l := nd.level[v]; {
		case l < sepLevel:
			nd.part[v] = a
			na++
		case l > sepLevel:
			nd.part[v] = b
			nb++
		}
	}
	// A separator vertex with no neighbour in B moves to A.
	for _, v := range q {
		if nd.level[v] != sepLevel {
			continue
		}
		toB := false
		for _, u := range nd.adj[nd.ptr[v]:nd.ptr[v+1]] {
			if nd.part[u] == b {
				toB = true
				break
			}
		}
		if toB {
			nd.part[v] = -1
		} else {
			nd.part[v] = a
			na++
		}
	}
	ia, ib, is := lo, lo+na, lo+na+nb
	for _, v := range q {
		switch nd.part[v] {
		case a:
			nd.verts[ia] = v
			ia++
		case b:
			nd.verts[ib] = v
			ib++
		default:
			nd.verts[is] = v
			is++
		}
	}
	if !nd.split {
		nd.split = true
		if lo == 0 && hi == len(nd.verts) {
			nd.topA, nd.topB = na, nb
		}
	}
	nd.dissect(lo, lo+na, a)
	nd.dissect(lo+na, lo+na+nb, b)
}
