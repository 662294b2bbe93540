package spatial

import (
	"strings"
	"testing"
)

// FuzzReadGeoJSON checks that no input makes ReadGeoJSON, or Contiguity and
// Centroids on what it accepts, panic: malformed input gives an error.
func FuzzReadGeoJSON(f *testing.F) {
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[` +
			`{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},` +
			`{"type":"Feature","properties":{"id":2},"geometry":{"type":"MultiPolygon","coordinates":[[[[1,0],[2,0],[2,1],[1,1],[1,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"MultiPolygon","coordinates":[[]]}}]}`,
		`{"type":"FeatureCollection","features":[null]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":true},"geometry":null}]}`,
		`{"type":"Feature"}`,
		`[]`,
	} {
		f.Add(s, "id")
	}
	f.Fuzz(func(t *testing.T, s, idField string) {
		r, err := ReadGeoJSON(strings.NewReader(s), idField)
		if err != nil {
			return
		}
		if len(r.IDs) != len(r.Polygons) {
			t.Fatalf("%d IDs for %d polygons", len(r.IDs), len(r.Polygons))
		}
		Contiguity(r, ContiguityOptions{Queen: true})
		Contiguity(r, ContiguityOptions{Snap: 0.5})
		r.Centroids()
	})
}
