package demo

import (
	"embed"
	"fmt"
)

// examples holds public example data that `agglo demo` writes beside the
// study's files, so that the README's commands run from a fresh install:
// plm's Produc panel (Munnell 1990; US public data), the row-standardised
// contiguity of its 48 states as an edge list (splm's usaww) and the
// polygons of the 48 contiguous states and DC (public-domain US state
// boundaries, simplified; property id spelled as Produc's state, so DC has
// no data). TestExamplesMatchShared keeps them equal to the reference copies
// in ../shared/data.
//
//go:embed examples/*
var examples embed.FS

// The file names of the example data of ExampleFiles.
const (
	FileProduc    = "produc.csv"
	FileUSStates  = "us_states.geojson"
	FileUSStatesW = "usaww_edges.csv"
)

// ExampleFiles returns the public example data shipped inside the binary,
// by name (FileProduc: 48 states × 1970–1986, columns
// state,year,region,pcap,hwy,water,util,pc,gsp,emp,unemp; FileUSStatesW:
// from,to,weight by state name; FileUSStates: GeoJSON polygons with
// property id).
func ExampleFiles() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, name := range []string{FileProduc, FileUSStates, FileUSStatesW} {
		b, err := examples.ReadFile("examples/" + name)
		if err != nil {
			return nil, fmt.Errorf("demo: embedded example %s: %w", name, err)
		}
		out[name] = b
	}
	return out, nil
}
