# Reference values for spatial/spdep_reference_test.go, from spdep 1.2-7
# (R 4.2.2, Debian's r-cran-spdep). Run in spatial/testdata:
#   Rscript spdep_reference.R > spdep_reference.json
# No test runs R; the JSON is committed.
suppressMessages(library(spdep))
options(digits = 17)
num <- function(v) trimws(formatC(v, digits = 17, format = "g"))
vec <- function(v) paste0("[", paste(num(v), collapse = ", "), "]")
mat <- function(m) paste0("[", paste(apply(m, 1, vec), collapse = ",\n    "), "]")
out <- c()

# asym.gal: links read as listed (row i = region i's neighbours).
gal <- read.gal("asym.gal", override.id = TRUE)
galW <- nb2listw(gal, style = "B")
out <- c(out, sprintf('"asym_gal": {"ids": [%s],\n  "matrix": %s}',
  paste0('"', attr(gal, "region.id"), '"', collapse = ", "), mat(listw2mat(galW))))

# asym.gwt: read.gwt2nb keeps the weights in attr(, "GeoDa")$dist.
gwt <- read.gwt2nb("asym.gwt", region.id = 1:5)  # warns "region.id not named id"
gwtW <- nb2listw(gwt, glist = attr(gwt, "GeoDa")$dist, style = "B")
out <- c(out, sprintf('"asym_gwt": {"ids": [%s],\n  "matrix": %s}',
  paste0('"', attr(gwt, "region.id"), '"', collapse = ", "), mat(listw2mat(gwtW))))

# islands.gal: a 4 x 4 rook lattice and one region without neighbours.
isl <- read.gal("islands.gal", override.id = TRUE)
x <- c(3.1, 4.7, 2.2, 5.9, 4.4, 6.1, 3.3, 12.0, 5.5, 7.2, 6.8, 4.9, 8.1, 7.7, 9.4, 6.6, 8.8)
tests <- c()
for (style in c("W", "B")) {
  lw <- nb2listw(isl, style = style, zero.policy = TRUE)
  for (rand in c(TRUE, FALSE)) {
    g <- geary.test(x, lw, randomisation = rand, zero.policy = TRUE)
    m <- moran.test(x, lw, randomisation = rand, zero.policy = TRUE)
    tests <- c(tests, sprintf(
      '{"style": "%s", "randomisation": %s,\n   "geary": {"statistic": %s, "expectation": %s, "variance": %s, "z": %s},\n   "moran": {"statistic": %s, "expectation": %s, "variance": %s, "z": %s}}',
      style, tolower(rand),
      num(g$estimate[1]), num(g$estimate[2]), num(g$estimate[3]), num(g$statistic),
      num(m$estimate[1]), num(m$estimate[2]), num(m$estimate[3]), num(m$statistic)))
  }
}
out <- c(out, sprintf('"islands": {"ids": [%s],\n  "x": %s,\n  "tests": [%s]}',
  paste0('"', attr(isl, "region.id"), '"', collapse = ", "), vec(x), paste(tests, collapse = ",\n  ")))
cat("{", paste(out, collapse = ",\n"), "}\n", sep = "\n")
