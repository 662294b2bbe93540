# Generates model_matrix.json: R 4.2.2 (jsonlite) model.matrix of each formula of forms.txt on rules.csv.
# Run in this folder: Rscript mm.R > model_matrix.json
suppressMessages(library(jsonlite))
d <- read.csv("rules.csv")
forms <- readLines("forms.txt")
out <- lapply(forms, function(s) {
  r <- tryCatch({
    f <- as.formula(s)
    # '.' stands for the columns but id and time, as agglo's --id/--time.
    dat <- if ("." %in% all.vars(f)) d[setdiff(names(d), c("id", "t"))] else d
    tt <- terms(f, data = dat); mf <- model.frame(tt, dat)
    m <- model.matrix(tt, mf)
    list(formula = s, deparse = paste(deparse(f, width.cutoff = 500), collapse=""), labels = attr(tt, "term.labels"),
         intercept = attr(tt, "intercept"), columns = colnames(m), values = unname(as.vector(m)), nrow = nrow(m))
  }, error = function(e) list(formula = s, error = conditionMessage(e)))
  r
})
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE))
