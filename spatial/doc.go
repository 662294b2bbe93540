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
package spatial
