library(plm)
P <- read.csv("/work/shared/data/produc.csv")
P$lpcap0 <- ave(log(P$pcap), P$state, FUN = function(v) v[1])
U <- read.csv("/work/shared/data/produc_unbalanced.csv")
U$lpcap0 <- ave(log(U$pcap), U$state, FUN = function(v) v[1])
f <- log(gsp) ~ log(pc) + log(emp) + unemp + lpcap0
num <- function(x) formatC(x, digits = 15, format = "g")
out <- function(name, d) {
  m <- plm(f, data = d, index = c("state", "year"), model = "random", random.method = "swar")
  s <- summary(m)$coefficients
  ec <- ercomp(m)
  th <- ec$theta
  cat(sprintf('    "%s": {\n      "call": "plm(%s, data = %s, index = c(\\"state\\", \\"year\\"), model = \\"random\\", random.method = \\"swar\\")",\n', name, deparse(f), name))
  cat(sprintf('      "sigma2_idios": %s,\n      "sigma2_id": %s,\n', num(ec$sigma2[["idios"]]), num(ec$sigma2[["id"]])))
  if (length(th) == 1) cat(sprintf('      "theta": %s,\n', num(th))) else cat(sprintf('      "theta_min": %s,\n      "theta_max": %s,\n', num(min(th)), num(max(th))))
  cat('      "coefficients": [\n')
  for (i in seq_len(nrow(s))) {
    cat(sprintf('        {"name": "%s", "estimate": %s, "std_error": %s}%s\n', rownames(s)[i], num(s[i, 1]), num(s[i, 2]), if (i < nrow(s)) "," else ""))
  }
  cat('      ]\n    }')
}
cat('{\n  "note": "plm ', as.character(packageVersion("plm")), ' (', R.version.string, ') Swamy-Arora random effects with a time-invariant regressor: lpcap0 = log(pcap) in the state\'s first row, P$lpcap0 <- ave(log(P$pcap), P$state, FUN = function(v) v[1]), on ../shared/data/produc.csv (balanced) and produc_unbalanced.csv. Computed once; no test runs R.",\n  "cases": {\n', sep = "")
out("produc", P); cat(",\n"); out("produc_unbalanced", U); cat("\n  }\n}\n")
# The hausman entry (added by hand from this output):
fe <- plm(f, data = P, index = c("state", "year"), model = "within")
re <- plm(f, data = P, index = c("state", "year"), model = "random", random.method = "swar")
print(phtest(fe, re), digits = 15)
