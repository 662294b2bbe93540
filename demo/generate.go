package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/agglo/agglo/spatial"
)

// Sector is one industry of the demo with its group.
type Sector struct {
	// Code is the sector code used in the data, in one scheme: "M1"–"M4"
	// for manufacturing, "S1"–"S5" for producer services. Figures and
	// tables label sectors by code (full names do not fit a heat map's
	// axes); the groups file (FileSectors) maps each code to its name.
	Code string
	// Name is the industry's full name.
	Name string
	// Group is "manufacturing" or "producer_services".
	Group string
}

// Sectors returns the demo's industries: four manufacturing industries and
// the five producer-service categories of the seed paper.
func Sectors() []Sector {
	return []Sector{
		{"M1", "Food and beverages", GroupManufacturing},
		{"M2", "Textiles and apparel", GroupManufacturing},
		{"M3", "Machinery and equipment", GroupManufacturing},
		{"M4", "Electronics and communication equipment", GroupManufacturing},
		{"S1", "Transport, storage and post", GroupServices},
		{"S2", "Information transmission, computer services and software", GroupServices},
		{"S3", "Leasing and business services", GroupServices},
		{"S4", "Scientific research and technical services", GroupServices},
		{"S5", "Financial intermediation", GroupServices},
	}
}

// The sector groups of the demo.
const (
	GroupManufacturing = "manufacturing"
	GroupServices      = "producer_services"
)

// Truth holds the coefficients of the data-generating spatial Durbin model
// of log(patents), and of the spatial lag model of new-product sales.
type Truth struct {
	// Rho is the spatial lag coefficient of log(patents).
	Rho float64
	// Beta and Theta are the coefficients of X and WX, in the order of
	// Regressors.
	Beta, Theta []float64
	// Sigma is the standard deviation of the errors.
	Sigma float64
	// SalesRho, SalesBeta and SalesSigma generate new-product sales (per
	// cent of revenue) as a spatial lag model of the same regressors.
	SalesRho   float64
	SalesBeta  []float64
	SalesSigma float64
}

// Regressors names the columns of X in the innovation panel, in the order of
// Truth.Beta.
var Regressors = []string{"va", "coagg", "log_rd"}

// DefaultTruth returns the coefficients of the embedded study: virtual
// agglomeration of producer services raises patenting (β = 0.8) and spills
// over to neighbours (θ = 0.5); physical coagglomeration helps less.
func DefaultTruth() Truth {
	return Truth{
		Rho:        0.35,
		Beta:       []float64{0.8, 0.3, 0.6},
		Theta:      []float64{0.5, -0.2, 0.1},
		Sigma:      0.08,
		SalesRho:   0.25,
		SalesBeta:  []float64{3, 1.5, 2},
		SalesSigma: 0.5,
	}
}

// Config sets the size and seed of a generated study. The zero value is not
// valid: start from DefaultConfig.
type Config struct {
	// Rows and Cols give the size of the hexagon map.
	Rows, Cols int
	// FirstYear and Years give the period covered.
	FirstYear, Years int
	// Seed drives every random draw.
	Seed uint64
	// Truth holds the model coefficients.
	Truth Truth
}

// DefaultConfig is the embedded study: 10 × 10 = 100 regions, 2013–2017.
func DefaultConfig() Config {
	return Config{Rows: 10, Cols: 10, FirstYear: 2013, Years: 5, Seed: 20130917, Truth: DefaultTruth()}
}

// EmploymentRow is one (region, sector, year) cell of the employment panel.
type EmploymentRow struct {
	Region      string
	Sector      string
	Year        int
	Employment  float64
	OnlineShare float64
}

// InnovationRow is one (region, year) observation of the innovation panel.
type InnovationRow struct {
	Region string
	Year   int
	// Patents are patent applications, exp(log patents) to four decimals.
	Patents float64
	// NewProductSales is new-product revenue in per cent of revenue.
	NewProductSales float64
	// VA, Coagg and LogRD are the regressors (see Regressors).
	VA, Coagg, LogRD float64
}

// Study is a generated data set.
type Study struct {
	Config     Config
	Regions    []Region
	Sectors    []Sector
	Employment []EmploymentRow
	Innovation []InnovationRow
	// Neighbours are the true contiguity lists (indices into Regions).
	Neighbours [][]int
}

// Weights returns the true contiguity of the study's regions as binary
// weights (use Transform for row-standardised ones).
func (s *Study) Weights() (*spatial.Weights, error) {
	ids := make([]string, len(s.Regions))
	var links []spatial.Link
	for i, r := range s.Regions {
		ids[i] = r.ID
		for _, j := range s.Neighbours[i] {
			links = append(links, spatial.Link{From: i, To: j, Weight: 1})
		}
	}
	return spatial.NewWeights(ids, links)
}

// Generate draws a study from cfg. The same cfg always gives the same study,
// bit for bit.
func Generate(cfg Config) (*Study, error) {
	if cfg.Rows < 2 || cfg.Cols < 2 || cfg.Years < 2 {
		return nil, fmt.Errorf("demo: need at least a 2×2 map and 2 years, got %d×%d and %d", cfg.Rows, cfg.Cols, cfg.Years)
	}
	k := len(Regressors)
	tr := cfg.Truth
	if len(tr.Beta) != k || len(tr.Theta) != k || len(tr.SalesBeta) != k {
		return nil, fmt.Errorf("demo: truth needs %d coefficients in Beta, Theta and SalesBeta", k)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	s := &Study{
		Config:     cfg,
		Regions:    hexMap(cfg.Rows, cfg.Cols, 112, 31, 0.25),
		Sectors:    Sectors(),
		Neighbours: hexNeighbours(cfg.Rows, cfg.Cols),
	}
	n := len(s.Regions)
	wb, err := s.Weights()
	if err != nil {
		return nil, err
	}
	w, err := wb.Transform(spatial.RowStandardized)
	if err != nil {
		return nil, err
	}
	wd := w.Dense()

	// Region sizes, digital readiness and fixed effects.
	size := make([]float64, n)
	ready := make([]float64, n)
	mu := make([]float64, n)
	for i := range size {
		size[i] = 20000 * math.Exp(0.8*rng.NormFloat64())
		ready[i] = rng.NormFloat64()
		mu[i] = 0.7*math.Log(size[i]/20000) + 0.3*rng.NormFloat64()
	}
	// Sector weights, growth and online base levels.
	weight := []float64{0.14, 0.12, 0.16, 0.13, 0.12, 0.08, 0.1, 0.07, 0.08}
	growth := []float64{-0.01, -0.03, 0.02, 0.05, 0.03, 0.09, 0.06, 0.07, 0.04}
	onlineBase := []float64{-3, -3.2, -2.8, -2.2, -1.8, -0.6, -1.2, -1.0, -0.9}
	// Spatially autocorrelated specialisation fields z_s = 0.8 (I − 0.6W)⁻¹ u.
	field, err := smoothing(wd, 0.6)
	if err != nil {
		return nil, err
	}
	z := make([][]float64, len(s.Sectors))
	for si := range z {
		u := mat.NewVecDense(n, nil)
		for i := 0; i < n; i++ {
			u.SetVec(i, rng.NormFloat64())
		}
		var v mat.VecDense
		v.MulVec(field, u)
		z[si] = make([]float64, n)
		for i := range z[si] {
			z[si][i] = 0.8 * v.AtVec(i)
		}
	}
	for t := 0; t < cfg.Years; t++ {
		year := cfg.FirstYear + t
		for i, r := range s.Regions {
			for si, sec := range s.Sectors {
				e := math.Round(size[i] * weight[si] * math.Exp(z[si][i]+growth[si]*float64(t)+0.05*rng.NormFloat64()))
				if e < 1 {
					e = 1
				}
				o := logistic(onlineBase[si] + 0.35*float64(t) + 0.5*ready[i] + 0.15*rng.NormFloat64())
				s.Employment = append(s.Employment, EmploymentRow{
					Region: r.ID, Sector: sec.Code, Year: year,
					Employment: e, OnlineShare: math.Round(o*1e6) / 1e6,
				})
			}
		}
	}

	// Regressors from the indices, period by period.
	x := make([][]float64, cfg.Years) // x[t][i*k+j]
	for t := 0; t < cfg.Years; t++ {
		va, coagg, err := s.indices(cfg.FirstYear + t)
		if err != nil {
			return nil, err
		}
		x[t] = make([]float64, n*k)
		for i := 0; i < n; i++ {
			logRD := 1 + 0.6*math.Log(size[i]) + 0.08*float64(t) + 0.2*rng.NormFloat64()
			x[t][i*k+0] = va[i]
			x[t][i*k+1] = coagg[i]
			x[t][i*k+2] = math.Round(logRD*1e6) / 1e6
		}
	}

	// Outcomes: y_t = (I − ρW)⁻¹ (X_t β + W X_t θ + μ + ε_t).
	lagInv, err := smoothing(wd, tr.Rho)
	if err != nil {
		return nil, err
	}
	salesInv, err := smoothing(wd, tr.SalesRho)
	if err != nil {
		return nil, err
	}
	for t := 0; t < cfg.Years; t++ {
		xt := mat.NewDense(n, k, x[t])
		var wx mat.Dense
		wx.Mul(wd, xt)
		rhs := mat.NewVecDense(n, nil)
		rhsSales := mat.NewVecDense(n, nil)
		for i := 0; i < n; i++ {
			v := mu[i] + tr.Sigma*rng.NormFloat64()
			vs := -8 + 2*mu[i] + tr.SalesSigma*rng.NormFloat64()
			for j := 0; j < k; j++ {
				v += xt.At(i, j)*tr.Beta[j] + wx.At(i, j)*tr.Theta[j]
				vs += xt.At(i, j) * tr.SalesBeta[j]
			}
			rhs.SetVec(i, v)
			rhsSales.SetVec(i, vs)
		}
		var y, sales mat.VecDense
		y.MulVec(lagInv, rhs)
		sales.MulVec(salesInv, rhsSales)
		for i, r := range s.Regions {
			s.Innovation = append(s.Innovation, InnovationRow{
				Region:          r.ID,
				Year:            cfg.FirstYear + t,
				Patents:         math.Round(math.Exp(y.AtVec(i))*1e4) / 1e4,
				NewProductSales: math.Round(sales.AtVec(i)*1e4) / 1e4,
				VA:              xt.At(i, 0),
				Coagg:           xt.At(i, 1),
				LogRD:           xt.At(i, 2),
			})
		}
	}
	return s, nil
}

// smoothing returns (I − ρW)⁻¹ densely (the demo's N is small).
func smoothing(w *mat.Dense, rho float64) (*mat.Dense, error) {
	n, _ := w.Dims()
	a := mat.NewDense(n, n, nil)
	a.Scale(-rho, w)
	for i := 0; i < n; i++ {
		a.Set(i, i, a.At(i, i)+1)
	}
	var inv mat.Dense
	if err := inv.Inverse(a); err != nil {
		return nil, fmt.Errorf("demo: I − %gW is singular: %w", rho, err)
	}
	return &inv, nil
}

func logistic(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
