package regress

import (
	"strings"
	"testing"
)

func TestReadLabels(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     map[string]string
		err      string
	}{
		{"name,label", "name,label\nlog(pcap),Public capital (log)\nunemp,\"Unemployment, %\"\n",
			map[string]string{"log(pcap)": "Public capital (log)", "unemp": "Unemployment, %"}, ""},
		{"no header", "va,Virtual agglomeration\n", map[string]string{"va": "Virtual agglomeration"}, ""},
		// The demo's groups file: the sector codes get their names.
		{"groups file", "sector,group,name\nM1,manufacturing,Food and beverages\nS1,producer_services,\"Transport, storage and post\"\n",
			map[string]string{"M1": "Food and beverages", "S1": "Transport, storage and post"}, ""},
		{"groups file, name first", "\ufeffName,Sector\nFood,M1\n", map[string]string{"M1": "Food"}, ""},
		{"groups file short row", "sector,group,name\nM1,manufacturing\n", nil, "line 2: 2 fields, the header has 3"},
		{"three fields", "a,b,c\n", nil, "line 1: want two fields"},
		{"twice", "a,x\na,y\n", nil, `line 2: "a" is labelled twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadLabels(strings.NewReader(tc.in), "l.csv")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s: %q, want %q", k, got[k], v)
				}
			}
		})
	}
}
