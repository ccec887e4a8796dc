// Package golden is test support: it compares what a test produced with a
// golden file under testdata, and rewrites the file instead when the tests
// run with -update (go test ./internal/... -run X -update). Only tests
// import it.
package golden
