suppressMessages({library(spdep); library(spatialreg)})
C <- read.csv("/work/shared/data/columbus.csv")
nb <- read.gal("/work/shared/data/columbus.gal")
C <- C[match(attr(nb, "region.id"), as.character(C$id)), ]
f <- CRIME ~ INC + HOVAL
num <- function(x) formatC(x, digits = 15, format = "g")
eff <- function(v, se, nm) paste0("[", paste(sprintf('{"name": "%s", "estimate": %s, "std_error": %s}', nm, num(v), num(se)), collapse = ", "), "]")
coefs <- function(est, se) paste0("[", paste(sprintf('{"name": "%s", "estimate": %s, "std_error": %s}', names(est), num(est), num(se)), collapse = ",\n        "), "]")
cases <- c()
for (st in c("W", "B")) {
  lw <- nb2listw(nb, style = st)
  m <- lmSLX(f, data = C, listw = lw)
  cf <- summary(m)$coefficients
  e <- errorsarlm(f, data = C, listw = lw, etype = "emixed", method = "eigen")
  for (mm in list(list(name = paste0("slx_", st), fit = m, est = cf[, 1], se = cf[, 2],
                       call = sprintf("lmSLX(CRIME ~ INC + HOVAL, data = C, listw = nb2listw(nb, style = '%s'))", st)),
                  list(name = paste0("sdem_", st), fit = e, est = coef(e)[-1], se = sqrt(diag(vcov(e)))[-1],
                       call = sprintf("errorsarlm(CRIME ~ INC + HOVAL, data = C, listw = nb2listw(nb, style = '%s'), etype = 'emixed', method = 'eigen')", st)))) {
    s <- summary(impacts(mm$fit))
    nm <- rownames(s$mat)
    if (is.null(nm)) nm <- c("INC", "HOVAL")
    imp <- s$impacts; se <- s$semat
    cases <- c(cases, sprintf('"%s": {\n      "call": "%s",\n      "coefficients": %s,\n      "impacts": {"direct": %s,\n        "indirect": %s,\n        "total": %s}\n    }',
      mm$name, mm$call, coefs(mm$est, mm$se),
      eff(imp$direct, se[, 1], nm), eff(imp$indirect, se[, 2], nm), eff(imp$total, se[, 3], nm)))
  }
}
cat(sprintf('{\n  "note": "spatialreg %s (%s) impacts() of lmSLX and errorsarlm(etype = \\"emixed\\") on Columbus (columbus.csv, columbus.gal via read.gal), styles W and B. Under style B spatialreg reports the indirect effect as theta itself; the average indirect effect is theta * sum(W)/N (230/49 here). Computed once; no test runs R.",\n  "cases": {\n    %s\n  }\n}\n',
  packageVersion("spatialreg"), R.version.string, paste(cases, collapse = ",\n    ")))
