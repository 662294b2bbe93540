# Generates spatialreg_columbus.json: spatialreg 1.2-6 (R 4.2.2) Durbin
# models with interactions and Durbin = ~ terms on Columbus (queen GAL,
# style W, method "eigen"). Run in this folder:
# Rscript spatialreg.R > spatialreg_columbus.json
suppressMessages({library(spatialreg); library(spdep); library(jsonlite)})
d <- read.csv("../../../../shared/data/columbus.csv")
lw <- nb2listw(read.gal("../../../../shared/data/columbus.gal", region.id = d$id), style = "W")
fits <- list(
  list(model = "sdm", f = "CRIME ~ INC*HOVAL", durbin = "INC:HOVAL"),
  list(model = "sdm", f = "CRIME ~ INC*HOVAL + I(HOVAL > 40)", durbin = "INC + I(HOVAL > 40)"),
  list(model = "sdem", f = "CRIME ~ INC*HOVAL", durbin = "INC:HOVAL + HOVAL"),
  list(model = "slx", f = "CRIME ~ poly(INC, 2) + HOVAL", durbin = "poly(INC, 2)")
)
out <- lapply(fits, function(x) {
  f <- as.formula(x$f); dur <- as.formula(paste("~", x$durbin))
  m <- switch(x$model,
    sdm = lagsarlm(f, d, lw, type = "mixed", Durbin = dur, method = "eigen"),
    sdem = errorsarlm(f, d, lw, etype = "emixed", Durbin = dur, method = "eigen"),
    slx = lmSLX(f, d, lw, Durbin = dur))
  if (x$model == "slx") {
    cf <- coef(m); se <- sqrt(diag(vcov(m)))
  } else {
    s <- summary(m)$Coef; cf <- s[, 1]; se <- s[, 2]
  }
  r <- list(model = x$model, formula = x$f, durbin = x$durbin, names = names(cf), estimate = unname(cf), std_error = unname(se))
  if (x$model == "sdm") { r$rho <- unname(m$rho); r$rho_se <- unname(m$rho.se) }
  if (x$model == "sdem") { r$lambda <- unname(m$lambda); r$lambda_se <- unname(m$lambda.se) }
  r
})
cat(toJSON(list(versions = list(R = R.version.string, spatialreg = as.character(packageVersion("spatialreg"))), fits = out), digits = NA, auto_unbox = TRUE, pretty = TRUE))
