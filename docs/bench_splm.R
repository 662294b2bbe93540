# splm's side of README's Speed table: fit the panels that
#   agglo bench --whole 1600,3600,10000 --dir FOLDER
# kept (FOLDER/panel-N.csv, FOLDER/edges-N.csv) with splm's fastest
# setting, spml(..., method = "Matrix", Hess = TRUE), SAR with individual
# fixed effects, and time the call alone (data already in memory) and with
# 1,000 impact draws, in wall and CPU seconds.
#
# Usage: Rscript docs/bench_splm.R FOLDER [N ...]
# Needs splm (1.6-5 was measured in issue 16) and spdep; no agglo test
# needs R. Not run in this session (splm was not installed).
suppressPackageStartupMessages({
  library(splm)
  library(spdep)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "."
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
  d <- d[order(match(d$id, ids), d$year), ] # splm wants individual-major
  f <- y ~ x1 + x2 + x3
  t0 <- proc.time()
  m <- spml(f, data = d, index = c("id", "year"), listw = lw, model = "within",
            effect = "individual", lag = TRUE, spatial.error = "none",
            method = "Matrix", Hess = TRUE, LeeYu = TRUE)
  t1 <- proc.time()
  imp <- impacts(m, listw = lw, time = length(unique(d$year)), R = 1000)
  t2 <- proc.time()
  cat(sprintf("N = %d: rho %.6f; spml %.3f s wall, %.3f s cpu; with impacts %.3f s wall, %.3f s cpu\n",
              n, coef(m)["lambda"],
              (t1 - t0)[["elapsed"]], sum((t1 - t0)[1:2]),
              (t2 - t0)[["elapsed"]], sum((t2 - t0)[1:2])))
}
