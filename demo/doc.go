// Package demo generates the synthetic study that agglo embeds and runs with
// `agglo demo`: a map of regions, a region × sector × year employment panel
// with the share of each sector's activity done online, and innovation
// outputs generated from a spatial Durbin model of agglomeration indices with
// known coefficients, so that every estimate of the demo can be checked
// against the truth.
//
// It is a package of its own because it is none of the others' job: it is
// not a weights method (spatial), an index (index), an estimator (regress)
// or a figure (plot), but a documented, seeded data-generating process that
// uses all of them, and that tests, benchmarks and the command line share.
//
// # The data-generating process
//
// Regions are R × C regular hexagons (odd-r offset layout) on a small patch
// of the globe; W is their contiguity (shared edges), row-standardised.
// Years are 2013–2017. Sectors are four manufacturing industries and the
// five producer-service categories of Liu, He, Chen and Xie (2020): transport,
// storage and post; information transmission, computer services and
// software; leasing and business services; scientific research and
// technical services; financial intermediation. Their codes, in every file,
// figure and table the demo writes, are M1–M4 and S1–S5 (the groups file
// sectors.csv gives each code's group and name).
//
// Employment is E_rst = round(S_r · a_s · exp(z_rs + g_s (t − 2013) + e_rst)),
// with region size S_r log-normal, national sector weights a_s, a spatially
// autocorrelated specialisation field z_s = 0.8 (I − 0.6W)⁻¹ u_s (u ~ N(0,1))
// and noise e ~ N(0, 0.05²). The online share of a cell is
// o_rst = logistic(α_s + 0.35 (t − 2013) + 0.5 v_r + 0.15 η_rst), rising over
// time as the seed paper documents, higher for producer services, with a
// regional digital-readiness effect v_r ~ N(0, 1).
//
// From these the regressors are the agglomeration indices of package index:
// va, the employment-weighted virtual agglomeration of producer services in a
// region (index.VARegion); coagg, the LQ-based coagglomeration of
// manufacturing and producer services (index.Coagglomeration); and the
// control log_rd, log R&D spending, drawn as 1 + 0.6 ln S_r + 0.08 (t − 2013)
// + N(0, 0.2²). Innovation is then a spatial Durbin panel with individual
// effects,
//
//	y_t = ρWy_t + X_t β + WX_t θ + μ + ε_t,  ε ~ N(0, σ²),
//	y = log(patents),
//
// with the coefficients of DefaultTruth, μ_r = 0.7 ln S_r + N(0, 0.3²) and
// patents reported as exp(y) to four decimals. New-product sales (a share,
// in per cent) follow a spatial lag model of the same regressors.
//
// # The study and its report
//
// RunStudy computes the indices, Moran's I of log(patents) and va by year,
// the LM tests on the fixed-effects model, and SAR, SEM and SDM with region
// fixed effects; report.md shows Moran's I by year, the models table and
// every figure, and chooses the model by the rule of Elhorst (2010,
// Spatial Economic Analysis 5(1)) that Decision documents: LM and robust LM
// tests on the non-spatial model, then LR (and Wald) tests of the SDM's
// restrictions θ = 0 (SAR) and θ + ρβ = 0 (SEM).
//
// # Example data
//
// ExampleFiles ships public data beside the synthetic study, which `agglo
// demo` writes to its data/ folder for the README's figures: plm's Produc
// panel (Munnell 1990), the contiguity of its 48 states and the states'
// polygons.
package demo
