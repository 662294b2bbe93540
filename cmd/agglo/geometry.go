package main

import "github.com/agglo/agglo/spatial"

// readGeometry reads the regions of a geometry file, dispatching on its
// extension: .shp is read with spatial.ReadShapefile (encoding overrides
// the .cpg; empty keeps it), anything else as GeoJSON. It is the one
// reader behind every --geometry (alias --geojson) flag and batch spec.
func readGeometry(path, idField, encoding string) (*spatial.Regions, error) {
	if hasExt(path, ".shp", ".SHP") {
		return spatial.ReadShapefile(path, idField, spatial.ShapefileOptions{Encoding: encoding})
	}
	return spatial.ReadGeoJSONFile(path, idField)
}
