# Writes the .dta fixtures of package table with haven::write_dta (the
# reference writer; Debian r-cran-haven). Run from this folder:
#   Rscript make_dta.R
# No test needs R: the outputs are committed.
library(haven)

shared <- "../../../shared/data"
demo <- "../../demo/data"

produc <- read.csv(file.path(shared, "produc.csv"), stringsAsFactors = FALSE)
write_dta(produc, "produc.dta", version = 14)            # format 118
employment <- read.csv(file.path(demo, "employment.csv"), stringsAsFactors = FALSE)
write_dta(employment, "employment.dta", version = 14)
innovation <- read.csv(file.path(demo, "innovation.csv"), stringsAsFactors = FALSE)
write_dta(innovation, "innovation.dta", version = 13)    # format 117

# Every feature the reader handles, in formats 117 and 118: byte, int,
# long, float and double columns, missing values . and .a/.z (tagged NA),
# short strings, strLs (strl_threshold), value labels, a variable label.
features <- data.frame(
  id = c("a", "b", "c", "d"),
  vb = as.integer(c(1L, -5L, NA, 100L)),
  vi = as.integer(c(1000L, -32000L, 32000L, NA)),
  lng = as.integer(c(100000L, -2000000000L, NA, 7L)),
  vd = c(1.5, NA, -2.25e-10, 1e300),
  stringsAsFactors = FALSE
)
features$vd[2] <- tagged_na("a")
features$tag <- c(0.25, tagged_na("z"), NA, 3)
features$note <- c(strrep("x", 30), "", "café", strrep("y", 30))
features$grp <- labelled(c(1, 2, 1, NA), c(north = 1, south = 2))
attr(features$vd, "label") <- "a double"
write_dta(features, "features118.dta", version = 14, strl_threshold = 10)
write_dta(features, "features117.dta", version = 13, strl_threshold = 10)
