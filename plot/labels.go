package plot

import (
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// placeLabels draws text labels next to points. For each label it tries
// eight positions around its point (right, left, above, below and the
// diagonals) and keeps the first that stays on the canvas and overlaps
// neither an earlier label nor a labelled point; when none is free it takes
// the position with the least overlap.
func placeLabels(c draw.Canvas, sty draw.TextStyle, pts []vg.Point, labels []string, gap vg.Length) {
	var placed []vg.Rectangle
	for _, p := range pts {
		placed = append(placed, vg.Rectangle{Min: vg.Point{X: p.X - gap, Y: p.Y - gap}, Max: vg.Point{X: p.X + gap, Y: p.Y + gap}})
	}
	for i, p := range pts {
		w := sty.Width(labels[i])
		h := sty.Height(labels[i])
		at := func(x, y vg.Length) vg.Rectangle {
			return vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + w, Y: y + h}}
		}
		cands := []vg.Rectangle{
			at(p.X+gap, p.Y-h/2), at(p.X-gap-w, p.Y-h/2),
			at(p.X-w/2, p.Y+gap), at(p.X-w/2, p.Y-gap-h),
			at(p.X+gap, p.Y+gap/2), at(p.X+gap, p.Y-gap/2-h),
			at(p.X-gap-w, p.Y+gap/2), at(p.X-gap-w, p.Y-gap/2-h),
			at(p.X-w/2, p.Y+gap+h), at(p.X-w/2, p.Y-gap-2*h),
		}
		best, bestCost := cands[0], vg.Length(-1)
		for _, r := range cands {
			var cost vg.Length
			if !inside(c.Rectangle, r) {
				cost += w * h * 4
			}
			for _, q := range placed {
				cost += overlapArea(r, q)
			}
			if bestCost < 0 || cost < bestCost {
				best, bestCost = r, cost
			}
			if cost == 0 {
				break
			}
		}
		placed = append(placed, best)
		ls := sty
		ls.XAlign, ls.YAlign = draw.XLeft, draw.YBottom
		c.FillText(ls, best.Min, labels[i])
	}
}

func inside(outer, r vg.Rectangle) bool {
	return r.Min.X >= outer.Min.X && r.Max.X <= outer.Max.X && r.Min.Y >= outer.Min.Y && r.Max.Y <= outer.Max.Y
}

func overlapArea(a, b vg.Rectangle) vg.Length {
	w := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X)
	h := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}
