# Reference values for spatial/weights_papers_test.go (issue 17, section 3).
# spdep (Debian r-cran-spdep) for higher-order contiguity, summary.nb's
# link-number distribution and print.listw's S0/S1/S2; the kernel,
# economic-distance and nested weights evaluated from their formulas in R
# on the Columbus data (an independent computation from dist()).
# Run in spatial/testdata:
#   Rscript weights_papers.R > weights_papers.json
suppressMessages(library(spdep))
suppressMessages(library(jsonlite))
nb <- read.gal("columbus.gal", override.id = TRUE)
ids <- attr(nb, "region.id")
d <- read.csv("../../../shared/data/columbus.csv")
d <- d[match(ids, as.character(d$id)), ]
xy <- cbind(d$X, d$Y)
D <- as.matrix(dist(xy))
n <- nrow(D)
lists <- function(nb) lapply(seq_along(nb), function(i) { v <- nb[[i]]; I(if (length(v) == 1 && v == 0) character(0) else ids[v]) })
lag <- nblag(nb, 3)
cum3 <- nblag_cumul(lag)
card_tab <- table(card(nb))
lw <- nb2listw(nb, style = "W")
sw <- spweights.constants(lw)
kern <- function(z, type) switch(type,
  gaussian = exp(-z^2 / 2) / sqrt(2 * pi),
  bisquare = 15 / 16 * (1 - z^2)^2,
  triangular = 1 - abs(z),
  uniform = rep(0.5, length(z)))
kth <- function(k) apply(D, 1, function(r) sort(r)[k + 1])
kmat <- function(h, type) {
  W <- matrix(0, n, n)
  for (i in 1:n) for (j in 1:n) if (i != j && D[i, j] <= h[i]) W[i, j] <- kern(D[i, j] / h[i], type)
  W
}
zbar <- d$INC
E <- 1 / abs(outer(zbar, zbar, "-")); diag(E) <- 0
B <- nb2mat(nb, style = "B")
N <- B %*% diag(zbar / mean(zbar))
out <- list(
  ids = ids, x = d$X, y = d$Y, inc = d$INC,
  lag2 = lists(lag[[2]]), lag3 = lists(lag[[3]]), cumul3 = lists(cum3),
  card_values = as.integer(names(card_tab)), card_counts = as.integer(card_tab),
  S0 = sw$S0, S1 = sw$S1, S2 = sw$S2,
  kernel = list(
    list(kernel = "gaussian", bandwidth = 10, k = 0, adaptive = FALSE, matrix = kmat(rep(10, n), "gaussian")),
    list(kernel = "bisquare", bandwidth = 0, k = 4, adaptive = TRUE, matrix = kmat(kth(4) * 1.0000001, "bisquare")),
    list(kernel = "triangular", bandwidth = 0, k = 3, adaptive = FALSE, matrix = kmat(rep(max(kth(3)) * 1.0000001, n), "triangular")),
    list(kernel = "uniform", bandwidth = 8, k = 0, adaptive = FALSE, matrix = kmat(rep(8, n), "uniform"))),
  economic = E, nested = N,
  versions = list(R = R.version.string, spdep = as.character(packageVersion("spdep"))))
cat(toJSON(out, digits = NA, auto_unbox = TRUE), "\n")
