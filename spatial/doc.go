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
// 2018): two regions touch at a pair of boundary coordinates p, q with
// ||p − q|| ≤ snap (default sqrt of machine epsilon); queen neighbours share
// at least one such pair, rook neighbours at least two, in practice an edge.
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
package spatial
