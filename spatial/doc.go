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
//     LeSage (2004), sum_j c_j(ρ) tr T_j(Ŵ).
//   - mc (MCLogDet): the power series −sum_k ρ^k tr(W^k)/k with traces by
//     Monte Carlo (Barry and Pace 1999).
//
// The stochastic methods take exact tr(W^k), k ≤ 4 (PowerTraces), and
// estimate only the higher orders by Hutchinson's (1989) estimator u'f(W)u
// over seeded Rademacher probes u; their ErrorBound is a statistical bound
// (two standard errors plus the truncation or quadrature error) over the
// central 95% of the interval. The interval's ends come from Lanczos
// estimates of the extreme eigenvalues of S, capped by ‖W‖∞ (so λ_max = 1
// exactly for row-standardised W). Sparse products run in parallel over
// row blocks (Multiplier).
package spatial
