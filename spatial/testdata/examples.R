suppressMessages({library(spdep); library(spatialreg)})
lat <- function(nr, nc) { # rook lattice, row-major index i = r*nc + c (0-based), as spatial.Lattice
  nb <- vector("list", nr*nc)
  for (i in 0:(nr*nc-1)) { r <- i %/% nc; c <- i %% nc; v <- c()
    if (r > 0) v <- c(v, (r-1)*nc + c); if (c > 0) v <- c(v, r*nc + c-1)
    if (c < nc-1) v <- c(v, r*nc + c+1); if (r < nr-1) v <- c(v, (r+1)*nc + c)
    nb[[i+1]] <- as.integer(sort(v) + 1L) }
  class(nb) <- "nb"; attr(nb, "region.id") <- as.character(1:(nr*nc)); nb }
nb5 <- lat(5, 5)
i <- 0:24; x <- (i %% 5) + 0.3 * (((i %/% 5) + (i %% 5)) %% 2)
lw <- nb2listw(nb5, style = "W"); lb <- nb2listw(nb5, style = "B")
print(moran.test(x, lw), digits = 10)
print(geary.test(x, lw), digits = 10)
print(globalG.test(x, lb), digits = 10)
print(globalG.test(x, lw, alternative = "two.sided"), digits = 10)
print(localmoran(x, lw)[1:5, ], digits = 6)
set.seed(1); print(moran.mc(x, lw, 999)$p.value)
# ExampleFitSpatial
nb6 <- lat(6, 6); lw6 <- nb2listw(nb6, style = "W")
i <- 0:35; xi <- sin(i); rhs <- 1 + 2*xi + 0.3*cos(7*i)
W <- listw2mat(lw6); y <- solve(diag(36) - 0.5*W, rhs)
f <- lagsarlm(y ~ xi, data = data.frame(y, xi), listw = lw6)
print(coef(f), digits = 10)
print(impacts(f, listw = lw6), digits = 10)
