suppressMessages({library(spdep); library(spatialreg)})
C <- read.csv("/work/shared/data/columbus.csv")
nb <- read.gal("/work/shared/data/columbus.gal")
ids <- attr(nb, "region.id")
C <- C[match(ids, as.character(C$id)), ]
isl <- which(ids %in% c("1", "20"))
for (i in seq_along(nb)) nb[[i]] <- as.integer(setdiff(nb[[i]], isl))
for (i in isl) nb[[i]] <- 0L
for (i in seq_along(nb)) if (length(nb[[i]]) == 0) nb[[i]] <- 0L
lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
f <- CRIME ~ INC + HOVAL
num <- function(x) formatC(x, digits = 15, format = "g")
coefs <- function(cf) paste0("[", paste(sprintf('{"name": "%s", "estimate": %s, "std_error": %s}', rownames(cf), num(cf[, 1]), num(cf[, 2])), collapse = ",\n        "), "]")
eff <- function(v, se, nm) paste0("[", paste(sprintf('{"name": "%s", "estimate": %s}', nm, num(v)), collapse = ", "), "]")
cases <- list()
add <- function(name, call, m, type) {
  s <- summary(m, Nagelkerke = FALSE)
  cf <- s$Coef
  if (is.null(cf)) cf <- s$coefficients
  parts <- c(sprintf('"call": "%s"', gsub('"', '\\\\"', call)), sprintf('"coefficients": %s', coefs(cf)))
  if (!is.null(m$rho)) parts <- c(parts, sprintf('"rho": {"estimate": %s, "std_error": %s}', num(m$rho), num(m$rho.se)))
  if (!is.null(m$lambda)) parts <- c(parts, sprintf('"lambda": {"estimate": %s, "std_error": %s}', num(m$lambda), num(m$lambda.se)))
  if (!is.null(m$LL)) parts <- c(parts, sprintf('"loglik": %s', num(as.numeric(m$LL))))
  if (!is.null(m$s2)) parts <- c(parts, sprintf('"sigma2": %s', num(m$s2)))
  if (type == "lag") {
    im <- impacts(m, listw = lw)
    parts <- c(parts, sprintf('"impacts": {"direct": %s, "indirect": %s, "total": %s}',
      eff(im$direct, rep(NA, length(im$direct)), attr(im, "bnames")), eff(im$indirect, rep(NA, length(im$direct)), attr(im, "bnames")), eff(im$total, rep(NA, length(im$direct)), attr(im, "bnames"))))
  }
  cases[[name]] <<- paste0("{\n      ", paste(parts, collapse = ",\n      "), "\n    }")
}
m <- lagsarlm(f, data = C, listw = lw, method = "eigen", zero.policy = TRUE); add("lag", "lagsarlm(CRIME ~ INC + HOVAL, data = C, listw = lw, method = 'eigen', zero.policy = TRUE)", m, "lag")
m <- errorsarlm(f, data = C, listw = lw, method = "eigen", zero.policy = TRUE); add("error", "errorsarlm(CRIME ~ INC + HOVAL, data = C, listw = lw, method = 'eigen', zero.policy = TRUE)", m, "error")
m <- lagsarlm(f, data = C, listw = lw, type = "mixed", method = "eigen", zero.policy = TRUE); add("durbin", "lagsarlm(CRIME ~ INC + HOVAL, data = C, listw = lw, type = 'mixed', method = 'eigen', zero.policy = TRUE)", m, "lag")
m <- errorsarlm(f, data = C, listw = lw, etype = "emixed", method = "eigen", zero.policy = TRUE); add("error_durbin", "errorsarlm(CRIME ~ INC + HOVAL, data = C, listw = lw, etype = 'emixed', method = 'eigen', zero.policy = TRUE)", m, "error")
m <- sacsarlm(f, data = C, listw = lw, method = "eigen", zero.policy = TRUE); add("sac", "sacsarlm(CRIME ~ INC + HOVAL, data = C, listw = lw, method = 'eigen', zero.policy = TRUE)", m, "lag")
m <- lmSLX(f, data = C, listw = lw, zero.policy = TRUE); add("slx", "lmSLX(CRIME ~ INC + HOVAL, data = C, listw = lw, zero.policy = TRUE)", m, "slx")
cat(sprintf('{\n  "note": "spatialreg %s, spdep %s (%s) on Columbus (../shared/data/columbus.csv, columbus.gal read with read.gal) with regions 1 and 20 made islands: every link from or to them removed, nb2listw(nb, style = \\"W\\", zero.policy = TRUE). Lag-model impacts are impacts(m, listw = lw) point estimates (exact traces). Computed once; no test runs R.",\n  "cases": {\n    %s\n  }\n}\n',
  packageVersion("spatialreg"), packageVersion("spdep"), R.version.string,
  paste(sprintf('"%s": %s', names(cases), unlist(cases)), collapse = ",\n    ")))
# The lm_tests entry of the JSON (added by hand from this output):
lt <- lm.LMtests(lm(CRIME ~ INC + HOVAL, data = C), lw, zero.policy = TRUE, test = "all")
for (n in names(lt)) cat(n, formatC(lt[[n]]$statistic, digits = 15, format = "g"), "\n", file = stderr())
# The sac_error_weights case (added by hand from this output): W without
# islands for the lag, the island weights for the error process.
lw1 <- nb2listw(read.gal("/work/shared/data/columbus.gal"), style = "W")
m <- sacsarlm(f, data = C, listw = lw1, listw2 = lw, method = "eigen", zero.policy = TRUE)
print(summary(m)$Coef, digits = 15); print(c(m$rho, m$rho.se, m$lambda, m$lambda.se, m$LL, m$s2), digits = 15)
