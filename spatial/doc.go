// Package spatial provides sparse spatial weights matrices and measures of
// spatial autocorrelation.
//
// A weights matrix W (type Weights) says who is whose neighbour: w_ij > 0
// when region j is a neighbour of region i, w_ii = 0. Weights are stored in
// compressed sparse rows and implement gonum's mat.Matrix and
// mat.RowNonZeroDoer. Codings follow spdep's nb2listw styles (Bivand, Pebesma
// and Gómez-Rubio 2013): binary B, row-standardised W (sum_j w_ij = 1),
// globally standardised C (sum w = n), uniform U (sum w = 1) and
// variance-stabilising S (Tiefelsdorf, Griffith and Boots 1999).
//
// The spatial lag of x is (Wx)_i = sum_j w_ij x_j. The log-determinant
// ln|I − ρW| = sum_i ln|1 − ρλ_i| over the eigenvalues λ_i of W (Ord 1975)
// is the Jacobian of the spatial lag and error likelihoods; LogDeterminant
// abstracts its exact and approximate evaluation.
//
// Building weights. Contiguity follows spdep's poly2nb (Bivand and Wong
// 2018) by default: two regions touch at a pair of boundary coordinates p,
// q with ||p − q|| ≤ snap (default sqrt of machine epsilon); queen
// neighbours share at least one such point, rook neighbours at least two
// distinct points, in practice an edge (a corner listed twice, as the start
// of a ring, is one point: unlike poly2nb, a corner touch is never rook).
// That vertex rule misses edges shared without a shared vertex
// (T-junctions); ExactContiguity tests the boundary segments instead (queen:
// any common point; rook: an overlap of positive length) and can weight
// links by the shared boundary length, and MissedByVertexRule lists the
// pairs the vertex rule misses. GeoJSON coordinates are longitude/latitude
// (RFC 7946); Regions.LonLat and InLonLatRange tell the caller when
// great-circle distances apply.
// Point weights use a k-d tree: k nearest neighbours d_(1) ≤ … ≤ d_(k) with
// ties broken by the lower region index, distance bands d_ij ≤ D, and
// inverse distances w_ij = d_ij^(−α), Euclidean or great-circle
// (haversine on a sphere of radius 6371.0088 km, Moritz 2000). Weights are
// read and written as GeoDa GAL (binary) and GWT (weighted) files (Anselin,
// Syabri and Kho 2006), CSV edge lists from,to[,weight] and dense CSV
// matrices; every parse error names its line, and a writer that cannot hold
// some weights (weights in GAL, an unnamed island in GWT, a zero weight in a
// dense matrix) refuses them rather than dropping them, so that a read →
// write → read round trip is exact.
//
// The weights of applied work (each function's comment gives its source):
// kernel weights w_ij = K(d_ij/h_i) with Gaussian, bisquare, triangular or
// uniform K and a fixed or K-nearest (adaptive) bandwidth (KernelWeights,
// libpysal Kernel); economic distance w_ij = 1/|z̄_i − z̄_j| (EconomicDistance,
// Case, Rosen and Hines 1993) and the nested W_geo·diag(z̄_j/z̄)
// (NestedEconomic); neighbours at exactly k or at most k contiguity steps
// (HigherOrder, spdep nblag and nblag_cumul); block weights of regions in one
// group (Block); and the union, intersection and Hadamard product of two
// matrices (Combine). Weights.Summarize reports what spdep's summary.nb does,
// with the link-number distribution and S0, S1, S2.
//
// # Spatial autocorrelation
//
// With z = x − mean(x), n regions and S0 = sum_ij w_ij,
// S1 = ½ sum_ij (w_ij + w_ji)², S2 = sum_i (w_i. + w_.i)² (Weights.Sums),
// the global statistics are (Cliff and Ord 1981, ch. 1–2; Getis and Ord
// 1992):
//
//	Moran     I = (n/S0) sum_ij w_ij z_i z_j / sum_i z_i²,        E[I] = −1/(n−1)
//	Geary     C = (n−1) sum_ij w_ij (x_i − x_j)² / (2 S0 sum_i z_i²),   E[C] = 1
//	Getis–Ord G = sum_{i≠j} w_ij x_i x_j / sum_{i≠j} x_i x_j,    E[G] = S0/(n(n−1))
//
// Moran and Geary have variances under normality (x i.i.d. normal) and
// under randomisation (every permutation of the observed values equally
// likely; the kurtosis K = n sum z⁴/(sum z²)² enters); G has the
// randomisation variance only. The randomisation moments are the exact
// mean and variance of the statistic over all n! permutations (tested so).
// z = (stat − E)/sd, with E − C for Geary so that a large z always means
// positive autocorrelation, and the normal p-value of the alternative
// (Greater by default), as spdep's moran.test, geary.test and globalG.test
// (Bivand and Wong 2018). A permutation test draws R random permutations
// and reports (1 + #{stat_perm ≥ stat})/(1 + R) (Hope 1968); permutation k
// draws from its own PCG stream (seed, k), so the result does not depend
// on the number of goroutines.
//
// Local Moran (Anselin 1995) is I_i = (z_i/m2) sum_j w_ij z_j with
// m2 = sum z²/n; its expectation and variance are the
// conditional-randomisation moments of Sokal, Oden and Thomson (1998), as
// spdep 1.2-7's localmoran:
//
//	E[I_i]   = −z_i² W_i / ((n−1) m2),   W_i = sum_j w_ij
//	Var[I_i] = (z_i/m2)² n/(n−2) (W_i2 − W_i²/(n−1)) (m2 − z_i²/(n−1)),   W_i2 = sum_j w_ij²
//
// Its pseudo p-values come from conditional permutations (region i keeps
// z_i; its neighbours' values are drawn from the other n−1). A region is
// in a LISA cluster (High-High, Low-Low, High-Low, Low-High, by the signs of
// z_i and (Wz)_i) when its p-value is at most α. The Moran scatter plot
// (Anselin 1996) plots (Wz)_i against z_i; with row-standardised weights its
// least-squares slope is Moran's I.
//
// Regions without neighbours (islands) are an error (*IslandError, wrapping
// ErrIsland) unless the zero policy is chosen: then, as spdep's
// zero.policy = TRUE with adjust.n = TRUE, an island's lag is 0 and the n of
// the global moments counts only regions with neighbours.
//
// References: Anselin L (1995) Local indicators of spatial association —
// LISA, Geographical Analysis 27(2):93–115, doi:10.1111/j.1538-4632.1995.tb00338.x.
// Anselin L (1996) The Moran scatterplot as an ESDA tool, in Fischer,
// Scholten and Unwin (eds) Spatial Analytical Perspectives on GIS, 111–125.
// Bivand RS, Wong DWS (2018) Comparing implementations of global and local
// indicators of spatial association, TEST 27:716–748,
// doi:10.1007/s11749-018-0599-x. Cliff AD, Ord JK (1981) Spatial Processes:
// Models and Applications, Pion. Getis A, Ord JK (1992) The analysis of
// spatial association by use of distance statistics, Geographical Analysis
// 24(3):189–206, doi:10.1111/j.1538-4632.1992.tb00261.x. Hope ACA (1968) A
// simplified Monte Carlo significance test procedure, JRSS B 30(3):582–598.
// Sokal RR, Oden NL, Thomson BA (1998) Local spatial autocorrelation in a
// biological model, Geographical Analysis 30(4):331–354,
// doi:10.1111/j.1538-4632.1998.tb00406.x.
// # Log-determinants at large N
//
// Dense eigenvalues (EigenLogDet) cost O(N³) time and O(N²) memory.
// NewLogDeterminant offers, behind the same interface:
//
//   - cholesky (CholeskyLogDet): exact. For W = D⁻¹A with A symmetric, W is
//     similar to S = D^{1/2} W D^{-1/2} and I − ρS is symmetric positive
//     definite on (1/λ_min, 1/λ_max), so ln|I − ρW| = 2 sum_k ln L_kk with
//     P(I − ρS)Pᵀ = LLᵀ; otherwise the normal matrix (I − ρW)ᵀ(I − ρW) is
//     factorised. Nested dissection (George 1973) orders the graph, the
//     elimination tree (Liu 1986) and column counts are computed once, and
//     each ρ costs one up-looking numeric factorisation (Davis 2006).
//   - slq (SLQLogDet): stochastic Lanczos quadrature (Ubaru, Chen and Saad
//     2017), tr ln(I − ρS) ≈ (N/p) sum_probes sum_k τ_k² ln(1 − ρθ_k).
//   - chebyshev (ChebyshevLogDet): the Chebyshev expansion of Pace and
//     LeSage (2004), sum_j c_j(ρ) tr T_j(Ŵ); for W similar to a symmetric
//     S its probes walk S, two orders per product (the doubling of the
//     kernel polynomial method, Weiße et al. 2006).
//   - mc (MCLogDet): the power series −sum_k ρ^k tr(W^k)/k with traces by
//     Monte Carlo (Barry and Pace 1999).
//
// The stochastic methods take exact tr(W^k) for k up to 12 where the budget
// allows, at least k ≤ 4 (PowerMoments: each column W^a e_i expanded as a
// sparse vector; t_k and <W^a, W^b>_F read off them), and estimate only the
// higher orders by Hutchinson's (1989) estimator u'f(W)u
// over seeded Rademacher probes u; their ErrorBound is a statistical bound
// (two standard errors plus the truncation or quadrature error) over the
// central 95% of the interval. The interval's ends are guaranteed bounds on
// the extreme eigenvalues: the norm bound |λ| ≤ ‖W‖∞ (λ_max = 1 exactly for
// row-standardised W, by Perron–Frobenius), tightened where W is similar to
// a symmetric S by certifying Lanczos estimates with sparse Cholesky
// inertia checks (Sylvester's law of inertia: I − S/c is positive definite
// exactly when every eigenvalue lies inside c); a Ritz value alone lies
// inside the spectrum and is no bound. Sparse products run in parallel over
// row blocks (Multiplier).
package spatial
