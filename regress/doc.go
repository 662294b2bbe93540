// Package regress fits panel and spatial panel regression models.
//
// Panel models follow plm (Croissant and Millo 2008) and Stata's xtreg:
// pooled OLS, fixed effects (within individual, time or both), between and
// random effects (Swamy and Arora 1972). Spatial panel models (SAR, SEM,
// SDM, SDEM, SLX, SAC) are fitted by concentrated maximum likelihood
// (Elhorst 2014; Lee and Yu 2010), with direct, indirect and total effects
// (LeSage and Pace 2009).
//
// Every fit returns a Result, whose JSON encoding is the schema the agglo
// command line writes and reads.
package regress
