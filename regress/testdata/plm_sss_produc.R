suppressMessages(library(plm))
P <- read.csv("/work/shared/data/produc.csv")
f <- log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp
num <- function(x) formatC(x, digits = 15, format = "g")
cases <- c()
for (spec in list(list("within_individual", "within", "individual", "group"),
                  list("within_twoways", "within", "twoways", "group"),
                  list("pooling", "pooling", "individual", "group"),
                  list("within_time_clustered_by_time", "within", "time", "time"))) {
  m <- plm(f, data = P, index = c("state", "year"), model = spec[[2]], effect = spec[[3]])
  v <- vcovHC(m, method = "arellano", type = "sss", cluster = spec[[4]])
  se <- sqrt(diag(v))
  cases <- c(cases, sprintf('"%s": {"call": "vcovHC(plm(f, data = P, index = c(\\"state\\", \\"year\\"), model = \\"%s\\", effect = \\"%s\\"), method = \\"arellano\\", type = \\"sss\\", cluster = \\"%s\\")",\n      "coefficients": [%s]}',
    spec[[1]], spec[[2]], spec[[3]], spec[[4]],
    paste(sprintf('{"name": "%s", "estimate": %s, "std_error": %s}', names(coef(m)), num(coef(m)), num(se)), collapse = ",\n        ")))
}
cat(sprintf('{\n  "note": "plm %s (%s) clustered covariances with type = \\"sss\\" on Produc, f = %s: G/(G-1)(n-1)/(n-k) with k the coefficients of the (transformed) model. Computed once; no test runs R.",\n  "cases": {\n    %s\n  }\n}\n',
  packageVersion("plm"), R.version.string, deparse(f), paste(cases, collapse = ",\n    ")))
