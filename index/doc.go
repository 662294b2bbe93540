// Package index computes agglomeration indices from a region × sector ×
// period table of activity (employment, output, firm counts): location
// quotients, concentration and specialisation measures, the
// Ellison–Glaeser family, coagglomeration, and indices of virtual
// (online) agglomeration.
//
// # Data
//
// A Table holds one dense region × sector matrix per period (gonum
// mat.Dense), built in memory (NewTable, Table.Set) or read from a long CSV
// whose columns are chosen by name (ReadCSV). Absent (region, sector,
// period) cells are 0 and counted (Table.Missing). Optional online shares
// o_rs ∈ [0, 1] sit beside the values; plant tables give plant
// Herfindahls (ReadPlants); sector groups come from a sector,group CSV
// (ReadGroups). Every per-period function takes a matrix e with regions in
// rows and sectors in columns, so a Go user can call it on any data;
// Compute runs an index over all periods of a Table and returns it in long
// form (one row per key and period).
//
// # Notation
//
// Per period: E_rs activity of sector s in region r; E_r = Σ_s E_rs (over
// all sectors); E_s = Σ_r E_rs; E = Σ_rs E_rs; s_rs = E_rs/E_s (the region's
// share of the sector); x_r = E_r/E (the region's share of all activity).
// A total that an index divides by and that is zero gives a
// *ZeroTotalError, or NaN entries under ZeroNaN (never ±Inf); Compute
// lists each such NaN as a warning.
//
// # Specialisation and concentration
//
//	LQ_rs = (E_rs/E_r)/(E_s/E)          location quotient (0 where E_rs = 0)
//	Hoover_s = ½ Σ_r |s_rs − x_r|          in [0, 1)
//	Krugman_r = Σ_s |E_rs/E_r − E_s/E|     in [0, 2]
//	Gini_s = 1 − Σ_k (X_k − X_{k−1})(Y_k + Y_{k−1})
//	HHI_s = Σ_r s_rs²,  HHI_r = Σ_s (E_rs/E_r)²
//
// The location quotient goes back to Hoover (1936) and is also Balassa's
// (1965) revealed comparative advantage; its x-weighted mean over regions,
// Σ_r x_r LQ_rs, is 1 for every sector. The Hoover (1936) coefficient of
// localisation is half the L1 distance between a sector's and all
// activity's distribution over regions; EconGeo and REAT report variants
// (Σ_r |s_rs − x_r| = 2·Hoover, or ×100). Krugman's (1991) specialisation
// index is the L1 distance between a region's sector mix and the nation's
// (KrugmanDissimilarity compares two regions). The locational Gini
// (Krugman 1991) sorts regions by LQ_rs ascending (ties by region ID),
// with X_k and Y_k the cumulative shares of all activity and of the sector.
// The Herfindahl–Hirschman index (Hirschman 1945; Herfindahl 1950) of a
// sector's regional shares measures absolute concentration (1/R when
// spread evenly over R regions), that of a region's sector mix its
// specialisation.
//
// # Ellison–Glaeser family
//
// Ellison and Glaeser (1997), with H_s = Σ_k z_k² the Herfindahl of the
// sector's plants (z_k = a plant's share of E_s):
//
//	G_s = Σ_r (s_rs − x_r)²
//	γ_s = (G_s/(1 − Σ_r x_r²) − H_s)/(1 − H_s)
//
// Maurel and Sédillot (1999):
//
//	γ_s = ((Σ_r s_rs² − Σ_r x_r²)/(1 − Σ_r x_r²) − H_s)/(1 − H_s)
//
// Both have expectation 0 when plants locate at random with probabilities
// x_r (the "dartboard"); γ > 0 means agglomeration beyond that. Ellison,
// Glaeser and Kerr (2010) pairwise coagglomeration,
//
//	γ^c_ij = Σ_r (s_ri − x_r)(s_rj − x_r)/(1 − Σ_r x_r²),
//
// is computed for all pairs at once as C^T C over the centred share matrix
// C_rs = (s_rs − x_r)/√(1 − Σ x²) (one gonum matrix product); its diagonal
// is EG's γ with H = 0.
//
// # LQ-based coagglomeration
//
// With LQ_m and LQ_p the location quotients of two sector groups (e.g.
// manufacturing and producer services), each summed as one sector,
//
//	C_r = 1 − |LQ_m − LQ_p|/(LQ_m + LQ_p) + (LQ_m + LQ_p)
//	    = quality + level.
//
// The quality term (1 when the two groups are equally specialised) is the
// form that the Chinese regional literature attributes to Yang Renfa (2013,
// "Industrial agglomeration and regional wage gaps", Management World
// 2013(8)); the added level term LQ_m + LQ_p, which separates two weak from
// two strong co-located groups, to Chen Jianjun, Liu Yue and Zou Miaomiao
// (2016, Journal of Zhejiang University, Humanities and Social Sciences
// 46(3)). It is used throughout studies of manufacturing–producer-services
// coagglomeration (e.g. Zhuang, Mi and Feng 2021, Int. J. Environ. Res.
// Public Health 18:12097). It is not a dartboard-based index: unlike EGK it
// has no benchmark of random location.
//
// # Virtual agglomeration
//
// With online shares o_rs, online volumes V_rs = o_rs E_rs, their totals
// V_r, V_s, V, and mean online intensities ō = V/E, ō_r = V_r/E_r,
// ō_s = V_s/E_s:
//
//	VLQ_rs = (V_rs/V_r)/(V_s/V) = LQ_rs · o_rs ō/(ō_r ō_s)
//	VA_rs = o_rs · LQ_rs
//	VA*_rs = (o_rs/ō_s) · LQ_rs                       (normalised)
//	VA_rg = Σ_{s∈g} w_rs VA_rs / Σ_{s∈g} w_rs           (w = E by default)
//	ΔG_s = Σ_r (V_rs/V_s − x_r)² − Σ_r (s_rs − x_r)²
//	VC_r = the C_r formula with LQ_p replaced by the online LQ of group p
//
// Virtual agglomeration is the clustering of activity in cyberspace rather
// than in physical space: firms linked through online platforms gain
// proximity without co-location (Wang, Liang and Li 2018; Liu, He, Chen and
// Xie 2020, Journal of Service Science and Management 13:408–419). VA_rs,
// the online share times the physical location quotient, is the form used
// in that literature. The other forms are this
// toolkit's own constructions, offered as transparent variants: the online
// LQ (VLQ, physical specialisation times relative online intensity), the
// normalised VA* (whose x-weighted mean over regions is exactly 1 for every
// sector, as for LQ, so that VA* > 1 reads as above the sector's national
// virtual agglomeration), the group aggregate VA_rg, the EG-style gap ΔG_s
// (negative when online activity is more evenly spread than physical
// activity: virtual agglomeration "breaking through space"), and the
// virtual coagglomeration VC_r.
//
// # Growth
//
// GrowthRate (to − from)/from, CAGR (to/from)^(1/years) − 1, PointChange
// (to − from for shares in percent) and FoldChange to/from reproduce the
// descriptive figures of the literature; "an increase of k times" is
// FoldChange − 1.
//
// # Composite indices
//
// Composite combines m indicators x'_ij (min–max normalised or z-scored,
// negative indicators reversed, over all rows or within each period) into
// Σ_j w_j x'_ij with entropy weights (p_ij = x'_ij/Σ_i x'_ij,
// e_j = −(1/ln n) Σ_i p_ij ln p_ij with 0 ln 0 = 0, w_j = (1 − e_j)/Σ_k (1 − e_k);
// Shannon 1948, Zou, Yun and Sun 2006), the loadings of the first principal
// component of the z-scores (sign fixed so w_1 > 0; Nardo et al. 2008), or
// equal weights 1/m.
//
// # References
//
//   - Balassa, B. (1965). Trade liberalisation and "revealed" comparative
//     advantage. The Manchester School 33(2), 99–123.
//   - Ellison, G. and Glaeser, E. L. (1997). Geographic concentration in U.S.
//     manufacturing industries: a dartboard approach. Journal of Political
//     Economy 105(5), 889–927.
//   - Ellison, G., Glaeser, E. L. and Kerr, W. R. (2010). What causes
//     industry agglomeration? Evidence from coagglomeration patterns.
//     American Economic Review 100(3), 1195–1213.
//   - Hoover, E. M. (1936). The measurement of industrial localization.
//     Review of Economics and Statistics 18(4), 162–171.
//   - Krugman, P. (1991). Geography and Trade. MIT Press.
//   - Liu, He, Chen and Xie (2020). Journal of Service Science and
//     Management 13, 408–419.
//   - Maurel, F. and Sédillot, B. (1999). A measure of the geographic
//     concentration in French manufacturing industries. Regional Science and
//     Urban Economics 29(5), 575–604.
//   - Wang Ruyu, Liang Qi and Li Guangqian (2018). Virtual agglomeration: a
//     new spatial organisation form of the deep integration of the new
//     generation of information technology and the real economy.
//     Management World 2018(2) (in Chinese).
//   - Yang Renfa (2013). Industrial agglomeration and regional wage gaps.
//     Management World 2013(8) (in Chinese).
//   - Chen Jianjun, Liu Yue and Zou Miaomiao (2016). Urban productivity
//     under industrial coagglomeration. Journal of Zhejiang University
//     (Humanities and Social Sciences) 46(3) (in Chinese).
//   - Herfindahl, O. C. (1950). Concentration in the U.S. Steel Industry.
//     PhD thesis, Columbia University; Hirschman, A. O. (1945). National
//     Power and the Structure of Foreign Trade. University of California
//     Press.
package index
