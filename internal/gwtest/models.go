package gwtest

import (
	"os"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/model"
)

// Models reads the models of a GraphWalker JSON file of the repository;
// a file that cannot be read or parsed fails the test.
func Models(tb testing.TB, path string) []*model.Model {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := gwjson.Parse(data, path)
	if err != nil {
		tb.Fatal(err)
	}
	return doc.Models
}
