package record

import (
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/model"
)

func newTextLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// readModels reads a GraphWalker JSON file of the repository.
func readModels(tb testing.TB, file string) []*model.Model {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := gwjson.Parse(data, file)
	if err != nil {
		tb.Fatal(err)
	}
	return doc.Models
}
