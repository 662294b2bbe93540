package main

import (
	"fmt"

	"github.com/agglo/agglo/spatial"
)

// buildWeights makes the weights a spec names: read from a GAL, GWT, edge
// list or matrix file, or built from a GeoJSON map by contiguity or k
// nearest neighbours of the centroids (great-circle distances for
// longitude/latitude maps unless the spec says planar); then coded in the spec's style
// (row-standardised by default, as spdep's nb2listw).
func buildWeights(ws weightsSpec) (*spatial.Weights, error) {
	var w *spatial.Weights
	var err error
	isGeoJSON := ws.Format == "geojson" || ws.Format == "shp" || ws.Format == "" && hasExt(ws.File, ".geojson", ".json", ".shp", ".SHP")
	switch {
	case isGeoJSON:
		idField := ws.ID
		if idField == "" {
			idField = "id"
		}
		regions, err := readGeometry(ws.File, idField, "")
		if err != nil {
			return nil, err
		}
		switch {
		case ws.KNN > 0:
			// GeoJSON is longitude/latitude (RFC 7946): great-circle
			// distances unless the spec says planar or the coordinates
			// fall outside ±180/±90.
			metric := spatial.Euclidean
			if !ws.Planar && regions.LonLat() {
				metric = spatial.GreatCircle
			}
			w, err = spatial.KNearest(regions.IDs, regions.Centroids(), ws.KNN, metric)
		case ws.Contiguity == "queen" || ws.Contiguity == "":
			w, err = spatial.Contiguity(regions, spatial.ContiguityOptions{Queen: true, Snap: ws.Snap})
		case ws.Contiguity == "rook":
			w, err = spatial.Contiguity(regions, spatial.ContiguityOptions{Snap: ws.Snap})
		default:
			return nil, fmt.Errorf("weights %q: contiguity %q (want queen or rook)", ws.Name, ws.Contiguity)
		}
		if err != nil {
			return nil, fmt.Errorf("weights %q from %s: %w", ws.Name, ws.File, err)
		}
	default:
		w, err = readWeights(ws.File, ws.Format, ws.IDs, nil)
		if err != nil {
			return nil, fmt.Errorf("weights %q: %w", ws.Name, err)
		}
	}
	style := ws.Style
	if style == "" {
		style = "W"
	}
	st, err := spatial.ParseStyle(style)
	if err != nil {
		return nil, fmt.Errorf("weights %q: %w", ws.Name, err)
	}
	return w.Transform(st)
}

func hasExt(path string, exts ...string) bool {
	for _, e := range exts {
		if len(path) >= len(e) && path[len(path)-len(e):] == e {
			return true
		}
	}
	return false
}
