// Package regress fits panel and spatial panel regression models.
//
// Panel models follow plm (Croissant and Millo 2008) and Stata's xtreg:
// pooled OLS, fixed effects (within individual, time or both), between and
// random effects (Swamy and Arora 1972). Spatial panel models (SAR, SEM,
// SDM, SDEM, SLX, SAC) are fitted by concentrated maximum likelihood
// (Elhorst 2014; Lee and Yu 2010), with direct, indirect and total effects
// (LeSage and Pace 2009).
//
// Every fit returns a Result, whose JSON encoding is the schema the agglo
// command line writes and reads.
//
// # Panel data and formulas
//
// ReadPanelCSV (ReadPanel, NewPanel) reads long data with an individual and
// a time column, sorts it by individual then time (numerically when the
// labels are numbers), detects balanced panels, and reports duplicated
// (id, time) pairs and missing values with their lines (listwise deletion on
// request, counted in Panel.Dropped). Panel.Design evaluates an R formula
// to a Design: Y, the gonum matrix X with the columns R's model.matrix
// gives (names, order and values), and each row's individual and period.
//
// # Formula grammar
//
// Formulas are read and expanded as R's terms.formula and model.matrix do
// (Wilkinson and Rogers 1973; Chambers and Hastie 1992, ch. 2; ?formula):
//
//	syntax                 meaning                                   columns (R's names)
//	y ~ a + b              terms a and b                             a, b
//	a - b                  remove term b                             a
//	- 1, + 0, 0 +          no intercept (+ 1 puts it back)           no (Intercept)
//	a:b                    interaction                               a:b
//	a * b                  a + b + a:b                               a, b, a:b
//	(a + b + c)^2          all interactions up to order 2            a, b, c, a:b, a:c, b:c
//	a / b                  nesting: a + a:b                          a, a:b
//	a %in% b               a within b: a:b                           a:b
//	( )                    grouping
//	.                      every column but --id, --time, response   one term per column
//	offset(z)              z subtracted from the response (linear)   none
//	I(expr)                arithmetic as is: + - * / ^ %% %/%,       I(x^2), I(unemp > 6)TRUE
//	                       < > <= >= == !=, & | !, numbers, "text"
//	log(x), log(x, base)   also log1p log2 log10 exp expm1 sqrt abs   log(pcap/emp), log(pc, 10)
//	                       sign floor ceiling trunc as.numeric
//	pmin(a, b, ...), pmax  elementwise minimum, maximum (na.rm =)     pmax(unemp, 5)
//	ifelse(test, yes, no)  choice by row (yes/no may be text)         ifelse(x > 0, log(x), 0)
//	scale(x)               (x − mean)/sd, sd with n − 1 (center =,    scale(unemp)
//	                       scale = FALSE to skip either)
//	poly(x, k)             orthogonal polynomials, as R's poly        poly(unemp, 2)1, poly(unemp, 2)2
//	poly(x, k, raw = TRUE) x, x², …, x^k                              poly(unemp, 2, raw = TRUE)1 …
//	factor(x)              treatment-coded dummies                    factor(region)2 …
//	relevel(f, ref = "5")  factor with reference level "5"            relevel(factor(region), ref = "5")1 …
//	lag(x, k), lead(x, k)  x k periods earlier (later), same unit     lag(x, 2)
//	diff(x, k)             x − lag(x, k)                              diff(x)
//
// Arithmetic may appear inside any function argument (log(pcap + 1),
// exp(unemp/10)); outside I() the operators + - * / : ^ are the formula
// operators above, and x^2 on a single term is refused because R reads it
// as x. Terms are ordered by the number of variables they combine, then as
// written; repeats are dropped; an interaction's label lists its variables
// in order of first appearance. Column names are the deparsed expressions
// as R prints them (spaces around + - * and comparisons, none around / ^
// :), with the level appended for factor columns.
//
// A factor is factor(), relevel(), a text column, or a logical such as
// I(unemp > 6) (levels FALSE, TRUE). Levels sort as R's sort(): numbers
// numerically (whole-number columns are labelled as integers, "100000";
// computed numbers with 15 significant digits, "1e+05"), text in ICU
// collation order. Coding is R's: in each term a factor gets treatment
// contrasts (every level but the first) when the term without it is the
// intercept or an earlier term, otherwise indicators of every level; with
// no intercept the first factor gets every level. Interaction columns are
// products, the first variable varying fastest ("factor(region)2:unemp").
// Levels absent from the rows used are dropped, as lm does. Under fixed
// effects a factor constant within individuals is absorbed, with a note.
// Spatial Durbin models lag the final columns (W*unemp:log(emp));
// Design.DurbinColumns turns spatialreg-style Durbin terms into the
// columns SpatialOptions.Durbin restricts the lags to.
//
// # Panel models
//
// Fit estimates, on the design (Baltagi 2021; Wooldridge 2010, ch. 10):
//
//	pooled   b = (X'X)⁻¹X'y
//	within   OLS of M_D y on M_D X, M_D the residual maker of the
//	         individual, time or both dummies: ỹ_it = y_it − ȳ_i (− ȳ_t + ȳ)
//	between  OLS of ȳ_i on x̄_i
//	random   OLS of y_it − θ_i ȳ_i on x_it − θ_i x̄_i,
//	         θ_i = 1 − sqrt(σ²_e/(T_i σ²_u + σ²_e))   (Swamy and Arora 1972)
//
// Random effects admit regressors constant within individuals (a region's
// area): σ²_e comes from the within regression of the time-varying
// regressors alone, as plm's ercomp, and the GLS step estimates them all.
//
// The two-way within transformation of an unbalanced panel alternates the
// individual and time demeanings until the change is below 1e-12 of the
// data's scale (Guimarães and Portugal 2010). The degrees of freedom,
// σ² = e'e/df, R² = 1 − e'e/Σ(ỹ − mean ỹ)² and adj R² are plm's; Stata's
// within, between and overall R² are squared correlations of y and x'b.
//
// Covariances (classical, HC0–HC3, clustered by individual or period,
// Driscoll–Kraay) are sandwiches on the transformed data, with k the number
// of slope coefficients (not the fixed effects):
//
//	HC0..HC3  (X'X)⁻¹ Σ ω_r e_r² x_r x_r' (X'X)⁻¹, ω = 1, n/(n−k), 1/(1−h), 1/(1−h)²
//	cluster   (X'X)⁻¹ Σ_g X_g'e_g e_g'X_g (X'X)⁻¹ · c       (Arellano 1987)
//	DK        (X'X)⁻¹ [Γ_0 + Σ_l (1 − l/(L+1))(Γ_l + Γ_l')] (X'X)⁻¹,
//	          Γ_l = Σ_t h_t h_{t−l}', h_t = Σ_i x_it e_it, L = ⌊T^{1/4}⌋
//	          (Driscoll and Kraay 1998; plm's vcovSCC)
//
// with c = 1 (plm HC0), n/(n−k) (plm HC1), G/(G−1)·(n−1)/(n−k) (plm
// "sss") or Stata's G/(G−1)·(n−1)/(n−K) (the default for clusters), K
// counting every coefficient Stata's command estimates: k for pooled OLS
// (with its intercept), random effects and between; k + 1 for xtreg, fe
// (its constant); k + T for two-way effects (xtreg, fe with period
// dummies). Result.Options["vcov_factor"] holds c. Tests: the F test of the fixed
// effects (plm pFtest), the Breusch–Pagan LM test (Breusch and Pagan 1980;
// unbalanced form of Baltagi and Li 1990), Hausman (1978) fe vs re, and
// Wald tests of R b = q.
//
// References: Arellano M (1987) Computing robust standard errors for
// within-groups estimators, Oxford Bull Econ Stat 49:431–434. Baltagi BH
// (2021) Econometric Analysis of Panel Data, 6th ed, Springer. Baltagi BH,
// Chang YJ (1994) Incomplete panels, J Econometrics 62:67–89. Breusch TS,
// Pagan AR (1980) The Lagrange multiplier test and its applications to
// model specification in econometrics, Rev Econ Stud 47:239–253. Croissant
// Y, Millo G (2008) Panel data econometrics in R: the plm package, J Stat
// Softw 27(2). Driscoll JC, Kraay AC (1998) Consistent covariance matrix
// estimation with spatially dependent panel data, Rev Econ Stat
// 80:549–560. Guimarães P, Portugal P (2010) A simple feasible procedure to
// fit models with high-dimensional fixed effects, Stata J 10:628–649.
// Hausman JA (1978) Specification tests in econometrics, Econometrica
// 46:1251–1271. Swamy PAVB, Arora SS (1972) The exact finite sample
// properties of the estimators of coefficients in the error components
// regression models, Econometrica 40:261–275. White H (1980) A
// heteroskedasticity-consistent covariance matrix estimator, Econometrica
// 48:817–838.
//
// # Spatial models
//
// FitSpatial takes a balanced panel of N regions × T periods stacked
// time-major (observation t·N + i; NewSpatialPanel arranges long data and
// names what is missing) and a weights matrix W applied period by period:
//
//	SAR   y = ρWy + Xβ + μ + τ + ε
//	SEM   y = Xβ + μ + τ + u,          u = λWu + ε
//	SDM   y = ρWy + Xβ + WXθ + μ + τ + ε
//	SDEM  y = Xβ + WXθ + μ + τ + u,    u = λWu + ε
//	SLX   y = Xβ + WXθ + μ + τ + ε     (least squares)
//	SAC   y = ρWy + Xβ + μ + τ + u,    u = λWu + ε
//
// with effects none (pooled; an intercept is a column of X), individual
// (μ), time (τ) or twoways fixed effects, or individual random effects
// (below). Fixed effects are swept out by the within
// transformation of y and X; W is applied to the transformed variables, as
// splm does (Wỹ is the lag of the demeaned ỹ). W·X terms are named
// "W*<term>"; a W·X column collinear with X — the lag of an intercept
// under row-standardised W, the lag of a regressor constant within the
// effects — is dropped with a message, as xsmle does.
//
// Concentrated likelihoods (Elhorst 2014, ch. 3). With ld(ρ) = ln|I − ρW|
// (spatial.LogDeterminant; exact eigenvalues by default, Ord 1975) and
// SSE the residual sum of squares of the filtered regression,
//
//	SAR, SDM:    ℓc(ρ)    = −NT/2 ln SSE(ρ) + T ld(ρ),   SSE from ỹ − ρWỹ on X̃
//	SEM, SDEM:   ℓc(λ)    = −NT/2 ln SSE(λ) + T ld(λ),   (I−λW)ỹ on (I−λW)X̃
//	SAC:         ℓc(ρ, λ) = −NT/2 ln SSE + T ld(ρ) + T ld(λ), (I−λW)(I−ρW)ỹ on (I−λW)X̃
//
// maximised by Brent's (1973) method to 1e-10 on the feasible interval
// (1/λ_min, 1/λ_max). SAC's ℓc(ρ, λ) often has a second local maximum
// (with one W it is symmetric in ρ and λ but for the regressors, and a far
// lower maximum near λ → 1 is common): it is evaluated on a 41 × 41 grid,
// and the best local maxima of the grid's profile over ρ are refined by a
// Brent search over ρ around them whose profile value at each ρ is a Brent
// search over λ around the best grid points in λ. A second maximum whose
// ℓc is within 2.996 (χ²₂ at 5%, halved) of the estimate's, and a
// correlation of ρ̂ and λ̂ beyond ±0.95, are reported in Result.Messages.
// All SSEs come from a Gram matrix computed once, so an evaluation costs
// O(k³) plus the log-determinant. A maximum on the boundary is an error
// (ErrBoundary) that reports the last iterate.
//
// The reported log-likelihood is the full Gaussian one at σ̂² = SSE/NT,
//
//	ℓ = T ld(ρ) [+ T ld(λ)] − NT/2 ln(2π) − NT/2 ln σ̂² − SSE/(2σ̂²),
//
// for every model, SEM included (splm's logLik for error models omits the
// constant and σ² terms; on Produc with individual effects the full value
// is 1634.0207). AIC = −2ℓ + 2(k+1) and BIC = −2ℓ + (k+1) ln NT count the
// coefficients and σ², not the fixed effects. The pseudo-R² is the squared
// correlation of the transformed response and its fitted values.
//
// Standard errors come from the analytical information matrix (Anselin
// 1988; splm's spfml, spatialreg's lagsarlm/errorsarlm/sacsarlm) with the
// traces of W̃ = W(I − ρW)⁻¹ multiplied by T:
//
//	SAR/SDM  (σ², ρ, β): I_σσ = NT/(2σ⁴), I_σρ = T tr W̃/σ²,
//	         I_ρρ = T(tr W̃² + tr W̃ᵀW̃) + |W̃X̃β|²/σ², I_ρβ = X̃ᵀW̃X̃β/σ², I_ββ = X̃ᵀX̃/σ²
//	SEM/SDEM β: σ²(X̃(λ)ᵀX̃(λ))⁻¹; (σ², λ): [[NT/(2σ⁴), T tr W̃/σ²], [·, T(tr W̃² + tr W̃ᵀW̃)]]
//	SAC      adds I_σλ = T tr H/σ², I_ρλ = T(tr HG + tr HᵀG), I_λλ = T(tr H² + tr HᵀH)
//	         with G = W̃(ρ), H = W̃(λ), and X̃ filtered by I − λW.
//
// The traces come from a Traces value (ExactTraces: eigenvalues and a
// dense inverse; large-N estimators implement the same interface). W̃X̃β
// is W z for z = (I − ρW)⁻¹X̃β, period by period, by the fixed-point
// iteration z ← X̃β + ρWz to a step of 1e-15 of z; from 2¹⁴ regions, for
// W similar to a symmetric matrix (real eigenvalues) with r = |ρ|·‖W‖∞
// < 1, it starts from the Chebyshev semi-iteration (Golub and Varga
// 1961), whose error falls by r/(1 + √(1 − r²)) a step instead of up to
// r (0.21 against 0.4 at ρ = 0.4 on row-standardised weights).
//
// Random effects. Effects "random" fits SAR, SDM, SEM and SDEM with
// individual random effects μ_i ~ (0, φσ²), as splm's spml(model =
// "random") (Millo and Piras 2012; Baltagi, Song and Koh 2003): the lag
// models by GLS quasi-demeaning with θ = 1/sqrt(Tφ + 1),
//
//	ℓ(φ, ρ) = −NT/2 (ln 2π + 1) − NT/2 ln σ̂² + T ld(ρ) − N/2 ln(Tφ + 1),
//
// the error models (μ not spatially correlated, splm's spatial.error =
// "b") with Σ⁻¹ = J̄_T ⊗ (TφI + (BᵀB)⁻¹)⁻¹ + E_T ⊗ BᵀB, B = I − λW,
//
//	ℓ(φ, λ) = −NT/2 (ln 2π + 1) − NT/2 ln σ̂² − ½ ln|I + TφBBᵀ| + T ld(λ),
//
// from BBᵀ reduced to tridiagonal form per λ (dense; N ≤ MaxRandomErrorN). The intercept
// stays. Both likelihoods can have two local maxima in ρ or λ (SEM and
// SDEM on data without an intercept: one near λ = 1 that absorbs the
// level), so each of the nested one-dimensional searches (θ outside, ρ
// inside; λ outside, θ inside) starts from a grid with points near the
// ends of the interval and refines its best local maxima by Brent's
// method. φ is reported as the coefficient "phi" (σ²_μ = φσ²), within
// splm's bounds [1e-8, 1e8]. Standard errors: by default the inverse
// Hessian of the log-likelihood in all of (β, ρ or λ, φ); RandomVcov
// "splm" reproduces splm's block-diagonal covariance (GLS for β given the
// variance parameters), which understates the uncertainty of β, most for
// W·X terms. SpatialHausman is splm's sphtest of random against fixed
// individual effects.
//
// Lee–Yu. Fixed-effects ML models are by default fitted with the Lee and
// Yu (2010) correction (as SDPDmod's LYtrans = TRUE; with individual
// effects exactly splm's LeeYu = TRUE): the uncorrected ML σ̂² (NoLeeYu,
// splm's default) estimates σ²(T−1)/T with individual effects, so its
// standard errors are too small by the factor √((T−1)/T) (0.894 at T = 5)
// and its 5% tests reject 8–9.4% of the time in the demo's Monte Carlo
// (N = 100, T = 5; 5.4–5.8% corrected). Corrected, for individual
// effects σ̂² is scaled by T/(T−1) and the likelihood and information
// matrix use T−1 periods (the likelihood of the model
// transformed by the orthonormal F_{T,T−1}, which has N(T−1) independent
// observations; ρ, λ and β are unchanged). For two-way and time effects
// (row-standardised W; SAC keeps splm's one-way scaling with time effects)
// it is Lee and Yu's (2010, sec. 4) transformation approach: with
// W* = F_NᵀWF_N, whose eigenvalues are W's but the 1 of 1_N, and T' = T−1
// (two-way) or T (time), the concentrated likelihood is
//
//	ℓc(ρ) = −(N−1)T'/2 ln SSE(ρ) + T'(ln|I − ρW| − ln(1 − ρ)),
//
// SSE from ỹ, X̃ (demeaned) and the spatial lags W·ỹ, W·X̃ demeaned
// again period by period; σ̂² = SSE/((N−1)T'); the information matrix
// uses N−1, T', tr(G*) = tr(G) − 1/(1−ρ), tr(G*²) = tr(G²) − 1/(1−ρ)²,
// tr(G*ᵀG*) = tr(GᵀG) − |Gᵀ1|²/N and G·X̃β demeaned by period. Unlike the
// direct estimate, ρ̂ then has no O(1/N) bias from the time effects (−0.035
// ≈ 0.6 sd at N = 100, T = 5 in the demo's Monte Carlo). SplmLeeYu
// instead reproduces splm 1.6-5's LeeYu = TRUE: with time effects σ̂²
// scaled by N/(N−1) and N−1 in the information matrix, ρ̂ direct; with
// two-way effects θ̃ = c∘θ̂ − V̂a/N (a = (1/(2σ̂²), 1/(1−ρ̂), 0…),
// c = (T/(T+1), 1, …)) with the information matrix at N−1 and T−1; V̂
// being the covariance rather than N·T times it, the correction barely
// moves ρ̂, and c shrinks σ̂²: its 5% tests reject 10–13% of the time in
// that Monte Carlo. SAC with two-way effects has no correction and is
// fitted uncorrected. Every fixed-effects result records the choice in Options["lee_yu"] and
// Options["estimator"], and an uncorrected fit of a short panel (T < 20)
// carries a message with the factor of its σ² bias.
//
// Finite-sample bias correction (optional, SpatialOptions.BiasCorrection;
// agglo fit --bias-correct bootstrap[:B]). The Lee–Yu correction fixes
// σ̂² but, with individual effects, leaves ρ̂ = the direct ML ρ̂, whose
// O(1/(N(T−1))) bias comes from estimating β in the concentrated score;
// Yang, Yu and Liu (2016) derive it by a stochastic expansion of the
// concentrated score and estimate its expectations by a bootstrap. agglo
// instead estimates the bias directly by a parametric bootstrap (Efron and
// Tibshirani 1993, ch. 10; MacKinnon and Smith 1998), for SAR, SDM, SEM,
// SDEM and SAC with any fixed effects or none: B samples (default 199)
// y* = (I − ρ̂W)⁻¹(Xβ̂ + α̂ + (I − λ̂W₂)⁻¹ε*), ε* ~ N(0, σ̂²) with σ̂² on the
// Lee–Yu degrees of freedom, the same X, W and recovered fixed effects α̂,
// refitted with the same options; ρ̃ = 2ρ̂ − mean(ρ̂*), likewise λ and
// every regression coefficient: the W·X terms' bias has two O(1/(NT))
// parts, −E(ρ̂ − ρ)·γ (γ the regression of W·y on X) and the covariance of
// ρ̂ with the regression's noise, and least squares given ρ̃ would remove
// only the first. σ² is then the SSE at the corrected estimates over the
// Lee–Yu degrees of freedom, the fixed effects are recovered there, and
// the standard errors are the usual information matrix evaluated at the
// corrected estimates (the correction moves the estimates by O(1/(NT)), a
// fraction of an SE, so they barely change); the impacts follow from the
// corrected estimates; the log-likelihood, AIC, BIC and LR tests stay
// those of the ML fit. Results record the method, B, the
// seed, the ML values, the bootstrap bias and its Monte Carlo SE in
// Options, and every output states it. In the demo generator's Monte
// Carlo (1,000 studies, N = 100, SDM, demo
// TestStudyMonteCarloBiasCorrectedSlow) the mean of ρ̂ with region
// effects at T = 5 is 5.2 Monte Carlo SEs below the truth (W·va and
// W·log_rd 4.7 and 3.5 above; Hotelling's joint test of all seven means
// p = 0.0001), that of ρ̃ 0.0 SEs and every corrected mean within 0.7 SEs
// (p = 0.97); at T = 10 ρ̂ −2.2, ρ̃ +1.0, the corrected means within 1.3
// SEs but W·coagg's −2.1 (default −1.3; jointly p = 0.13, default 0.04);
// with two-way effects at T = 5 ρ̂ −5.2, ρ̃ −0.3 (p = 0.99). The
// corrected |z| > 1.96 rates are 4.0–6.4% (default 4.3–6.0%).
//
// Islands. Regions without neighbours are an error unless
// SpatialOptions.ZeroPolicy (spatialreg's zero.policy = TRUE): then an
// island's row of W is zero, so its spatial lags are 0, it adds a zero
// eigenvalue to the log-determinant and the traces, and its row of
// (I−ρW)⁻¹ is its unit row, so the total impact multiplier is
// 1ᵀ(I−ρW)⁻¹1/N = ((N−m)/(1−ρ) + m)/N with m islands under
// row-standardised W (spatialreg 1.2-6 reports 1/(1−ρ)). The intercept's
// lag W·1, no longer collinear with the intercept, is left out of the
// Durbin models under row-standardised W, as spatialreg does. A note
// names the islands.
//
// Impacts (LeSage and Pace 2009, ch. 2.7) of SAR, SDM and SAC: for the
// regressor x_k, direct = β_k tr((I−ρW)⁻¹)/N + θ_k tr((I−ρW)⁻¹W)/N,
// total = β_k 1ᵀ(I−ρW)⁻¹1/N + θ_k 1ᵀ(I−ρW)⁻¹W1/N, indirect = total −
// direct; their standard errors are the standard deviations over R draws
// (default 1,000, seeded) of the coefficients from N(ψ̂, V̂), draws of ρ
// outside its interval being discarded and redrawn as in spatialreg. All
// multipliers are eigenvalue sums, so 1,000 draws cost about one.
// ImpactsVcov "splm" reproduces splm, whose spml stores a block-diagonal
// covariance (no ρ–β covariance). The totals are exact for any W: 1/(1−ρc)
// for a common row sum c, otherwise (binary or distance weights) the
// series of the shifted B = W − σI, 1ᵀ(I−ρW)⁻¹1/N = Σ_k τᵏ1ᵀBᵏ1/N/(1−ρσ)
// with τ = ρ/(1−ρσ) and σ the centre of W's spectrum, which converges on
// the whole interval (1/λmin, 1/λmax), or a dense solve near its ends
// (spatialreg reports β/(1−ρ), right for row-standardised W only). The
// large-N traces sum their power series until (|ρ|R)ᵏ is negligible, R a
// bound on W's spectral radius (1 for row-standardised W; the certified
// max(|λmin|, λmax) of the log-determinant otherwise), and refuse a ρ
// with |ρ|R ≥ 1 (a negative ρ below −1/λmax under binary weights) with
// an error that asks for --logdet eigen.
//
// Impacts of SLX and SDEM: the reduced form is linear in X (∂y/∂x_kᵀ =
// β_k I + θ_k W), so direct = β_k + θ_k tr(W)/N, total = β_k +
// θ_k 1ᵀW1/N, indirect = θ_k (1ᵀW1 − tr W)/N, with exact standard errors
// sqrt(aᵀVa) (Impacts.Inference "exact"). Only for row-standardised W
// without islands is the indirect effect θ_k itself; under binary W it is
// θ_k times the mean number of neighbours (Halleck Vega and Elhorst 2015).
//
// Tests: SpatialLMTests gives the LM tests of lag and error dependence and
// their robust forms (Anselin et al. 1996; panel forms after Debarsy and
// Ertur 2010, as splm's slmtest) — every spatial fit carries them in
// Result.Tests (LMerr, LMlag, RLMerr, RLMlag, SARMA), with lr_spatial, the
// LR test of the spatial parameters against least squares — and an SDM fit
// carries Wald and LR tests
// of θ = 0 (SAR) and θ = −ρβ (SEM). SpatialHausman tests random against
// fixed individual effects (Mutl and Pfaffermayr 2011).
//
// # Dynamic spatial panels
//
// SpatialOptions.Dynamic (xsmle's dlag: 1 γ, 2 δ, 3 both) fits the dynamic
// SAR or SDM with individual, time or twoways fixed effects (Yu, de Jong
// and Lee 2008; Lee and Yu 2010; Elhorst 2014, ch. 4),
//
//	y_t = ρWy_t + γy_{t−1} + δWy_{t−1} + X_tβ + WX_tθ + μ + α_t1 + ε_t,  t = 2…T,
//
// by quasi-ML conditional on the first period (lost to the lag; the
// periods must be consecutive, a gap is an error). The lags are
// regressors named "<y>(t-1)" and "W*<y>(t-1)". Individual effects are
// removed by demeaning over t = 2…T; time effects by the Lee–Yu
// orthogonal transformation F' (N×(N−1), F'F = I, F'1 = 0; W must be
// row-standardised), whose transformed weights F'WF have W's eigenvalues
// but the unit one, so ln|I − ρF'WF| = ln|I − ρW| − ln(1 − ρ) and the
// model has n = N − 1 regions. With m = n(T − 1),
//
//	ℓc(ρ) = −m/2 ln SSE(ρ) + (T−1) ln|I − ρW_F|,  σ̂² = SSE/m.
//
// Bias correction (the default with individual or two-way effects; the
// QML is biased by O(1/T) through the individual effects): θ₁ = θ̂ +
// Σ̂⁻¹b/T, Σ̂ the information matrix per observation and, with S = I − ρW,
// G = WS⁻¹, A = S⁻¹(γI + δW) and H = (I − A)⁻¹S⁻¹ = ((1−γ)I − (ρ+δ)W)⁻¹
// of the transformed W,
//
//	b_γ = tr(H)/n, b_δ = tr(WH)/n, b_ρ = (γ tr(GH) + δ tr(GWH) + tr(G))/n,
//	b_σ² = 1/(2σ²), b_β = 0
//
// (Yu, de Jong and Lee 2008, eq. 17; Lee and Yu 2010 for two-way effects),
// all eigenvalue sums; eigenvalues of A at or above 1 − 1/n (a unit root)
// are removed as Yu, de Jong and Lee (2012) do. SDPDmod 0.0.6 uses
// tr(H) for b_δ when only δ enters (dlag 2); tr(WH) is the derivation's.
// The information matrix is inverted exactly (Cholesky); SDPDmod passes it
// through Matrix::nearPD, whose eig.tol of 1e-6 alters badly scaled
// matrices (small σ², as log(gsp) on Produc) and there yields explosive
// "corrected" estimates (γ ≈ 5 where the exact inverse gives 0.9).
// With time effects only there is no incidental-parameter bias and the
// QML is reported. The covariance (of the corrected estimator, at the
// corrected estimates) is Σ⁻¹ + Σ⁻¹ΩΣ⁻¹ divided by m, Ω the fourth-moment
// term (κ = μ₄/σ⁴ − 3, from the reduced-form residuals as SDPDmod and the
// authors' MATLAB code compute it; under the time transformation μ₄ and
// Σ G_ii² are taken in the basis-free coordinates of J = I − 11ᵀ/N, where
// SDPDmod uses those of the arbitrary basis R's eigen returns, which moves
// its standard error of ρ by up to 0.6%). σ² and the log-likelihood are reported
// as SDPDmod reports them: ℓ = −N(T−1)/2 ln(2πσ̂²) + (T−1) ln|I − ρW_F| −
// rᵀr/(2σ̂²), r the residuals of the individually demeaned data.
//
// Stability: the model is stable when the spectral radius of A, max over
// the eigenvalues ω of W of |(γ + δω)/(1 − ρω)|, is below 1 (Elhorst 2014,
// §4.2); it is reported for the corrected and the QML estimates
// (Extra "spectral_radius", "spectral_radius_qml") with a warning when it
// is not. Effects (Debarsy, Ertur and LeSage 2012; Elhorst 2014, §4.3):
//
//	short run  ∂y_t/∂x_kᵀ = (I − ρW)⁻¹(β_k I + θ_k W)
//	long run   ((1 − γ)I − (ρ + δ)W)⁻¹(β_k I + θ_k W)
//	           = (1 − γ)⁻¹(I − ρ*W)⁻¹(β_k I + θ_k W), ρ* = (ρ + δ)/(1 − γ),
//
// direct the mean diagonal, total the mean row sum, indirect their
// difference, with standard errors from seeded draws of the coefficients
// (draws outside the stable region redrawn): Result.Impacts and
// Result.ImpactsLongRun. SDPDmodNumerics reproduces SDPDmod's tabulated
// log-determinant and R's optimize for comparisons; the default exact
// likelihood is maximised to 1e-10 in ρ.
//
// # Tables
//
// WriteTable writes models side by side in Markdown, LaTeX (booktabs only)
// or CSV in the block layout of the spatial literature (Main, W·x,
// Spatial, then one block per Result.EffectBlocks: Direct, Indirect,
// Total), each estimate with its stars and its standard error beneath,
// then the rows a referee looks for. Numbers show TableOptions.Digits
// significant digits of the smaller of estimate and standard error, both
// with the decimals d that need,
//
//	d = digits − 1 − ⌊log10 min(|β̂|, se)⌋,
//
// so that no standard error prints as zero. Stars follow one convention
// for every output (Stars; economists' *** 0.01, ** 0.05, * 0.1 by
// default), stated under every table. Describe and WriteDescription give
// a paper's Table 1: N, mean, SD, type-7 quartiles (Hyndman and Fan 1996)
// and, for panels, Stata's xtsum between and within SDs. A shared
// estimator is a note under the table, not a row that widens every column;
// TableOptions.NoImpacts and NoCoefficients split a long table in two.
//
// # Standardized coefficients
//
// Every fit records the sample standard deviations (divisor n − 1) of the
// response and of each regressor as it enters the model, in the
// estimation sample (Result.ResponseSD, Result.TermSD; JSON response_sd,
// term_sd): log(pcap) after the formula's transformation, W·x for a term
// W*x, y(t−1) for a dynamic lag, before any fixed-effects transformation;
// of the individual means for the between model. Result.Standardized
// scales estimates, standard errors and effects to "beta coefficients"
// (Wooldridge 2016, Introductory Econometrics, §6.1a),
//
//	b_std = b · SD(x) / SD(y),
//
// the change of y in its standard deviations when x moves by one of its
// own, comparable across regressors in different units.
//
// References: Anselin L (1988) Spatial Econometrics: Methods and Models,
// Kluwer. Anselin L, Bera AK, Florax R, Yoon MJ (1996) Simple diagnostic
// tests for spatial dependence, Reg Sci Urban Econ 26:77–104. Brent RP
// (1973) Algorithms for Minimization without Derivatives, Prentice-Hall.
// Baltagi BH, Song SH, Koh W (2003) Testing panel data regression models
// with spatial error correlation, J Econometrics 117:123–150. Debarsy N, Ertur C (2010) Testing for spatial autocorrelation in a fixed
// effects panel data model, Reg Sci Urban Econ 40:453–470. Elhorst JP
// (2014) Spatial Econometrics: From Cross-Sectional Data to Spatial
// Panels, Springer. Lee L-F, Yu J (2010) Estimation of spatial
// autoregressive panel data models with fixed effects, J Econometrics
// 154:165–185. LeSage J, Pace RK (2009) Introduction to Spatial
// Econometrics, CRC. Millo G, Piras G (2012) splm: Spatial panel data
// models in R, J Stat Softw 47(1). Mutl J, Pfaffermayr M (2011) The
// Hausman test in a Cliff and Ord panel model, Econometrics J 14:48–76.
// Debarsy N, Ertur C, LeSage JP (2012) Interpreting dynamic space–time
// panel data models, Stat Methodol 9:158–171. Lee L-F, Yu J (2010) A
// spatial dynamic panel data model with both time and individual fixed
// effects, Econometric Theory 26:564–597. Yu J, de Jong R, Lee L-F (2008)
// Quasi-maximum likelihood estimators for spatial dynamic panel data with
// fixed effects when both n and T are large, J Econometrics 146:118–134.
// Yu J, de Jong R, Lee L-F (2012) Estimation for spatial dynamic panel
// data with fixed effects: the case of spatial cointegration, J
// Econometrics 167:16–37. Halleck Vega S, Elhorst JP (2015) The SLX
// model, J Reg Sci 55:339–363.
// Efron B, Tibshirani RJ (1993) An Introduction to the Bootstrap, Chapman
// and Hall, ch. 10. MacKinnon JG, Smith AA (1998) Approximate bias
// correction in econometrics, J Econometrics 85:205–230. Yang Z, Yu J,
// Liu SF (2016) Bias correction and refined inferences for fixed effects
// spatial panel data models, Reg Sci Urban Econ 61:52–72.
// Hyndman RJ, Fan Y (1996) Sample quantiles in statistical packages, Am
// Stat 50:361–365.
// Ord K (1975) Estimation methods for models of spatial interaction, JASA
// 70:120–126.
package regress
