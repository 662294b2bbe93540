# Source of the output of ExampleSpatialHausman (spatial_example_test.go).
# splm is not installable here, so the random-effects spatial lag model is
# fitted by its likelihood written out (Anselin 1988; Baltagi, Song and Koh
# 2003; the model of splm's spml(model = "random", lag = TRUE)):
#   y = rho (I_T x W) y + X b + (iota_T x I_N) mu + e,  phi = s2_mu / s2_e,
#   logL = -NT/2 log(2 pi s2) - N/2 log(1 + T phi) + T sum log(1 - rho lambda)
#          - |y* - X* b|^2 / (2 s2),  v* = v - theta mean_t(v), theta = 1 - 1/sqrt(1 + T phi),
# maximised over (rho, phi) with b and s2 concentrated out; standard errors
# from numDeriv's Hessian of the full log-likelihood in (b, rho, phi, s2).
# The fixed-effects model is spatialreg's lagsarlm on the region-demeaned
# data with the block-diagonal I_T x W (the within ML estimator, sigma2 over
# NT), whose asymptotic standard error is splm's. R 4.2.2, spatialreg 1.2-6,
# numDeriv 2016.8-1.1. Run: Rscript spatial_hausman_example.R
suppressMessages({library(spdep); library(spatialreg); library(numDeriv)})
lat <- function(nr, nc) { W <- matrix(0, nr*nc, nr*nc) # rook, row-major, style W
  for (i in 0:(nr*nc-1)) { r <- i %/% nc; c <- i %% nc
    for (d in list(c(-1,0), c(0,-1), c(0,1), c(1,0))) { rr <- r + d[1]; cc <- c + d[2]
      if (rr >= 0 && rr < nr && cc >= 0 && cc < nc) W[i+1, rr*nc + cc + 1] <- 1 } }
  W / rowSums(W) }
W <- lat(6, 6); n <- 36; TT <- 6
y <- numeric(n*TT); X <- matrix(0, n*TT, 2); id <- rep(1:n, TT)
for (s in 0:(TT-1)) { i <- 0:(n-1); k <- s*n + i # as the example builds the data
  xi <- sin(3*k + 1); mu <- cos(5*i)
  rhs <- 1 + 2*xi + mu + 0.5*sin(11*k*k + 7)
  y[k+1] <- solve(diag(n) - 0.4*W, rhs); X[k+1, ] <- cbind(1, xi) }
lam <- Re(eigen(W, only.values = TRUE)$values)
Wy <- as.vector(sapply(0:(TT-1), function(s) W %*% y[s*n + 1:n]))
qd <- function(v, th) v - th * ave(v, id)
conc <- function(p) { rho <- p[1]; phi <- exp(p[2]); th <- 1 - 1/sqrt(1 + TT*phi)
  ys <- qd(y - rho*Wy, th); Xs <- apply(X, 2, qd, th = th)
  b <- solve(crossprod(Xs), crossprod(Xs, ys)); e <- ys - Xs %*% b; s2 <- sum(e^2)/(n*TT)
  list(ll = -n*TT/2*(log(2*pi*s2) + 1) - n/2*log(1 + TT*phi) + TT*sum(log(1 - rho*lam)), b = b, s2 = s2) }
o <- optim(c(0.3, 0), function(p) -conc(p)$ll, method = "BFGS", control = list(reltol = 1e-14))
r <- conc(o$par)
full <- function(q) { b <- q[1:2]; rho <- q[3]; phi <- q[4]; s2 <- q[5]; th <- 1 - 1/sqrt(1 + TT*phi)
  e <- qd(y - rho*Wy - X %*% b, th)
  -(-n*TT/2*log(2*pi*s2) - n/2*log(1 + TT*phi) + TT*sum(log(1 - rho*lam)) - sum(e^2)/(2*s2)) }
est <- c(r$b, o$par[1], exp(o$par[2]), r$s2)
Vre <- solve(numDeriv::hessian(full, est))
cat(sprintf("RE %-11s %.10f (%.10f)\n", c("(Intercept)", "x", "rho", "phi"), est[1:4], sqrt(diag(Vre))[1:4]), sep = "")
xd <- X[, 2] - ave(X[, 2], id); yd <- y - ave(y, id)
fe <- lagsarlm(yd ~ xd - 1, listw = mat2listw(kronecker(diag(TT), W), style = "W"), method = "eigen")
cat(sprintf("FE rho %.10f x %.10f (%.10f)\n", fe$rho, coef(fe)["xd"], fe$rest.se["xd"]))
h <- abs((coef(fe)["xd"] - est[2])^2 / (fe$rest.se["xd"]^2 - Vre[2, 2]))
cat(sprintf("Hausman chisq %.8f, df 1, p %.8f\n", h, pchisq(h, 1, lower.tail = FALSE)))
