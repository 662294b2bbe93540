# Generates plm_produc.json: plm 2.6-2 (R 4.2.2) fits of formulas with
# interactions, factors, poly, scale, lag and diff on ../../../../shared/data/produc.csv.
# Run in this folder: Rscript plm.R > plm_produc.json
suppressMessages({library(plm); library(jsonlite)})
d <- read.csv("../../../../shared/data/produc.csv")
p <- pdata.frame(d, index = c("state", "year"))
fits <- list(
  list(f = "log(gsp) ~ factor(region)*unemp + log(emp)", model = "within", effect = "individual"),
  list(f = "log(gsp) ~ lag(log(emp)) + diff(unemp) + I(unemp > 6)*log(pc)", model = "within", effect = "individual"),
  list(f = "log(gsp) ~ poly(unemp, 3) + log(pcap):log(emp)", model = "within", effect = "twoways"),
  list(f = "log(gsp) ~ (log(pcap) + log(pc) + log(emp))^2", model = "within", effect = "individual"),
  list(f = "log(gsp) ~ log(emp) + I((unemp - 5)^2) + relevel(factor(region), ref = \"5\"):unemp", model = "within", effect = "individual"),
  list(f = "log(gsp) ~ unemp*log(emp) + log(pc)", model = "random", effect = "individual"),
  list(f = "log(gsp) ~ unemp*log(emp) + log(pc) + factor(region)", model = "pooling", effect = "individual")
)
out <- lapply(fits, function(x) {
  m <- plm(as.formula(x$f), p, model = x$model, effect = x$effect)
  list(formula = x$f, model = x$model, effect = x$effect, names = names(coef(m)),
       estimate = unname(coef(m)), std_error = unname(sqrt(diag(vcov(m)))))
})
cat(toJSON(list(versions = list(R = R.version.string, plm = as.character(packageVersion("plm"))), fits = out), digits = NA, auto_unbox = TRUE, pretty = TRUE))
