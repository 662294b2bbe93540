# splm's side of README's Speed table: fit the panels that
#   agglo bench --whole 1600,3600,10000 --dir FOLDER
# kept (FOLDER/panel-N.csv, FOLDER/edges-N.csv) with splm's fastest
# setting, spml(..., method = "Matrix", Hess = TRUE), SAR with individual
# fixed effects, and time the call alone (data already in memory) and with
# (with --impacts) 1,000 impact draws, in wall and CPU seconds.
#
# Usage: Rscript docs/bench_splm.R FOLDER [--impacts] [N ...]
# Needs splm (1.6-5, built from the CRAN sources with R CMD INSTALL) and
# spdep; no agglo test needs R. splm's impacts() with R = 1000 takes
# 16 s at N = 1,600 and 68 s at N = 3,600 on the 2-core machine of
# issue 16, hence opt-in.
#
# splm orders the individuals by plm's index (sorted factor levels), so
# the ids are replaced by their position in W before fitting: with the
# string ids (r0c0, r0c1, r0c10, ...) the rows would no longer follow W
# and ρ̂ would be that of a scrambled weights matrix.
suppressPackageStartupMessages({
  library(splm)
  library(spdep)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "."
withImpacts <- "--impacts" %in% args
args <- args[args != "--impacts"]
ns <- if (length(args) >= 2) as.integer(args[-1]) else c(1600L, 3600L, 10000L)
for (n in ns) {
  d <- read.csv(file.path(dir, sprintf("panel-%d.csv", n)))
  e <- read.csv(file.path(dir, sprintf("edges-%d.csv", n)))
  ids <- unique(d$id) # the CSV is time-major in the order of W
  nb <- lapply(ids, function(i) sort(match(e$to[e$from == i], ids)))
  nb <- lapply(nb, as.integer)
  class(nb) <- "nb"
  attr(nb, "region.id") <- ids
  lw <- nb2listw(nb, style = "W")
  d$id <- match(d$id, ids) # position in W: plm sorts the individuals by id
  d <- d[order(d$id, d$year), ] # individual-major
  f <- y ~ x1 + x2 + x3
  t0 <- proc.time()
  m <- spml(f, data = d, index = c("id", "year"), listw = lw, model = "within",
            effect = "individual", lag = TRUE, spatial.error = "none",
            method = "Matrix", Hess = TRUE, LeeYu = TRUE)
  t1 <- proc.time()
  cat(sprintf("N = %d: rho %.6f (se %.6f); spml %.3f s wall, %.3f s cpu",
              n, coef(m)[["lambda"]], sqrt(diag(m$vcov))[[1]],
              (t1 - t0)[["elapsed"]], sum((t1 - t0)[1:2])))
  if (withImpacts) {
    imp <- impacts(m, listw = lw, time = length(unique(d$year)), R = 1000)
    t2 <- proc.time()
    cat(sprintf("; with impacts %.3f s wall, %.3f s cpu",
                (t2 - t0)[["elapsed"]], sum((t2 - t0)[1:2])))
  }
  cat("\n")
}
