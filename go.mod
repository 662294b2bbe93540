module github.com/agglo/agglo

go 1.26.0

require (
	github.com/paulmach/orb v0.14.0
	golang.org/x/term v0.47.0
	gonum.org/v1/gonum v0.17.0
)

require (
	go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
