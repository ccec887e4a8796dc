// Package testmodel generates inputs that tests and benchmarks of several
// packages share: large GraphWalker JSON models and deeply nested
// expressions, built in code so that no megabytes sit in testdata.
package testmodel
