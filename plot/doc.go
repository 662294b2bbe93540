// Package plot draws the figures of spatial agglomeration studies, ready
// for a journal: choropleth maps and small multiples, LISA cluster and
// significance maps, the Moran scatter plot, time series of indices with a
// share on a second axis, coefficient and effects plots, and heatmaps of
// coagglomeration matrices. It builds on gonum/plot (vg back ends) and orb
// (polygons), and writes PNG (at a chosen DPI), SVG and PDF, with sizes in
// any unit (vg.Centimeter, vg.Inch) and the Liberation fonts embedded in
// SVG and PDF.
//
// Every figure is a value implementing Figure; Save writes it atomically
// (temporary file, then rename), Write to any io.Writer. One Theme holds
// the house style (fonts, sizes, colours, line widths); DefaultTheme is
// used when a figure's Theme is nil.
//
// The package takes plain inputs (region IDs, values, polygons, cluster
// labels, estimates with standard errors) so that it depends on no other
// package of agglo but regress's Result types.
//
// # Classification of choropleth maps
//
// Breaks returns class bounds b_0 ≤ b_1 < … < b_k with classes closed on
// the right, (b_{i−1}, b_i], the first also holding b_0:
//
//   - Quantile: b_i = Q(i/k), the type-7 sample quantile (Hyndman and Fan
//     1996), Q(p) = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)), h = (n−1)p on
//     the sorted values; tied bounds are merged.
//   - Equal: b_i = min + i (max − min)/k.
//   - Jenks natural breaks (Jenks 1977): the partition of the sorted values
//     into k contiguous classes C_1 … C_k minimising
//     Σ_j Σ_{x∈C_j} (x − mean(C_j))², found exactly by Fisher's (1958)
//     dynamic programme over the distinct values with the divide-and-
//     conquer speed-up of Ckmeans.1d.dp (Wang and Song 2011): O(k n log n).
//   - User: the bounds given.
//
// Palettes (Colors) are ColorBrewer's sequential and diverging schemes
// (Brewer 2003) where ColorBrewer rates them colour-blind safe, and
// viridis (van der Walt and Smith 2015). Regions without a value are drawn
// in the theme's MissingColor, with a legend entry.
//
// # Map projection
//
// Longitude/latitude coordinates are drawn in the equirectangular
// projection x = λ cos φ0, y = φ with φ0 the latitude of the middle of the
// map, so that shapes near φ0 keep their proportions; planar coordinates
// are drawn as they are. The scale bar uses 111.32 km per degree of
// latitude.
//
// # Moran scatter plot
//
// MoranScatter plots z against its spatial lag Wz (Anselin 1996) with the
// least-squares line, whose slope is z'Wz / z'z = Moran's I for
// row-standardised W, and dashed lines at the means. As spdep's
// moran.plot, it marks (diamond with cross) and names the regions that the
// influence measures of lm(Wz ~ z) flag (Belsley, Kuh and Welsch 1980; see
// InfluenceMeasures for the formulas and R's cut-offs).
//
// # LISA maps
//
// LISAMap colours the cluster labels of local Moran's I (Anselin 1995):
// High-High red, Low-Low blue, High-Low pink, Low-High light blue, not
// significant light grey, as GeoDa does. SignificanceMap shows the
// p-values in the classes ≤ 0.001, ≤ 0.01, ≤ 0.05 and not significant.
//
// # Coefficients and effects
//
// CoefPlot and EffectsPlot draw estimates with 95% intervals,
// estimate ± 1.959964 × standard error; for the effects of spatial lag
// models (LeSage and Pace 2009) the standard errors are those of the
// simulated distribution. With Standardized set they draw standardized
// ("beta") coefficients and effects, scaled by regress.Result.Standardized:
//
//	standardized effect = effect × SD(x) / SD(y)
//
// with SD(x) and SD(y) the sample standard deviations of the regressor (as
// it enters the model: log(pcap), W·x, y(t−1)) and of the response in the
// estimation sample (Wooldridge 2016, §6.1a): the change in y, in standard
// deviations of y, of a one-standard-deviation change in x, comparable
// across regressors measured in different units. The x axis says so.
//
// # Heatmaps
//
// Heatmap orders the sectors of a coagglomeration matrix (Ellison, Glaeser
// and Kerr 2010) by average-linkage hierarchical clustering (UPGMA; Sokal
// and Michener 1958) of the distances max_{k≠l} s_kl − s_ij, so that sectors
// that co-locate are adjacent; ties are broken by index, so the order is
// deterministic.
//
// References
//
//   - Anselin, L. (1995). Local indicators of spatial association — LISA.
//     Geographical Analysis 27(2), 93–115.
//   - Anselin, L. (1996). The Moran scatterplot as an ESDA tool. In Fischer,
//     Scholten and Unwin (eds.), Spatial Analytical Perspectives on GIS.
//   - Belsley, D. A., Kuh, E. and Welsch, R. E. (1980). Regression
//     Diagnostics. Wiley.
//   - Brewer, C. A. (2003). ColorBrewer, www.colorbrewer.org.
//   - Fisher, W. D. (1958). On grouping for maximum homogeneity. JASA 53,
//     789–798.
//   - Jenks, G. F. (1977). Optimal data classification for choropleth maps.
//     Occasional Paper 2, Department of Geography, University of Kansas.
//   - Okabe, M. and Ito, K. (2008). Color universal design.
//   - Wooldridge, J. M. (2016). Introductory Econometrics: A Modern
//     Approach, 6th ed. Cengage. §6.1a, Beta coefficients.
//   - Sokal, R. R. and Michener, C. D. (1958). A statistical method for
//     evaluating systematic relationships. University of Kansas Science
//     Bulletin 38, 1409–1438.
//   - van der Walt, S. and Smith, N. (2015). viridis colour map, matplotlib.
//   - Wang, H. and Song, M. (2011). Ckmeans.1d.dp: optimal k-means
//     clustering in one dimension by dynamic programming. R Journal 3(2).
package plot
