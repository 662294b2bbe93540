suppressMessages({library(plm); library(lmtest)})
d <- read.csv(text = "region,year,y,x
a,2001,1.0,0.5
a,2002,2.1,1.4
a,2003,2.9,2.6
b,2001,3.2,0.2
b,2002,4.0,1.1
b,2003,5.1,2.1
c,2001,0.1,0.9
c,2002,0.8,1.6
c,2003,2.2,3.0")
pd <- pdata.frame(d, index = c("region", "year"))
fe <- plm(y ~ x, pd, model = "within", effect = "individual")
print(coeftest(fe), digits = 10)
fe2 <- plm(y ~ x, pd, model = "within", effect = "twoways")
print(coeftest(fe2, vcov = vcovHC(fe2, method = "arellano", type = "sss", cluster = "group")), digits = 10)
s <- summary(fe2)
print(s$r.squared, digits = 10)
cat("sigma2", deviance(fe2)/df.residual(fe2), "\n")
print(pFtest(fe2, plm(y ~ x, pd, model = "pooling")), digits = 10)
l <- lm(y ~ x + factor(region) + factor(year), d)
print(logLik(l), digits = 10)
rss <- sum(residuals(fe2)^2); n <- 9
cat("ll within N=9:", -n/2*(log(2*pi*rss/n)+1), "\n")
# Stata xtreg y x i.year, fe: R-sq within/between/overall
l2 <- lm(y ~ x + factor(year) + factor(region), d)
b <- coef(l2); 
xb <- b["x"]*d$x + ifelse(d$year==2002, b["factor(year)2002"], 0) + ifelse(d$year==2003, b["factor(year)2003"], 0)
yd <- d$y - ave(d$y, d$region); xbd <- xb - ave(xb, d$region)
cat("within", cor(yd, xbd)^2, " within(1-rss/tss)", 1 - sum(residuals(l2)^2)/sum(yd^2), "\n")
cat("between", cor(tapply(d$y, d$region, mean), tapply(xb, d$region, mean))^2, "\n")
cat("overall", cor(d$y, xb)^2, "\n")
xb0 <- b["x"]*d$x
cat("no-year: overall", cor(d$y, xb0)^2, " between", cor(tapply(d$y, d$region, mean), tapply(xb0, d$region, mean))^2, " within", cor(yd, xb0 - ave(xb0, d$region))^2, "\n")
