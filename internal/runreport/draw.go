package runreport

import (
	"bytes"
	"fmt"
	"html"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/layout"
	"github.com/gw-project/gw/internal/model"
)

// Drawer draws a model for a report.
type Drawer interface {
	// DrawSVG returns one <svg> element, with no external reference,
	// showing m with each element coloured by visits (indexed by
	// element). id is unique in the page; the drawing prefixes every id
	// it defines with it.
	DrawSVG(m *model.Model, visits []int, id string) ([]byte, error)
}

// SceneDrawer draws with internal/draw: the picture `gw draw --record`
// makes, with its legend, tooltips and layouts.
type SceneDrawer struct {
	Layout layout.Options
}

// DrawSVG implements Drawer. A model over a layout limit is not drawn: the
// report says why instead of failing.
func (d SceneDrawer) DrawSVG(m *model.Model, visits []int, id string) ([]byte, error) {
	models := []*model.Model{m}
	v := draw.NewVisits(models)
	copy(v.Counts[0], visits)
	scene, err := draw.NewScene(models, d.Layout, v)
	if err != nil {
		return fmt.Appendf(nil, `<p class="muted">not drawn: %s</p>`, html.EscapeString(err.Error())), nil
	}
	var b bytes.Buffer
	if err := scene.WriteSVG(&b); err != nil {
		return nil, err
	}
	svg := b.Bytes()
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:] // no XML declaration inside HTML
	}
	// Several drawings share the page: their ids, and the references to
	// them, get the drawing's prefix. Names and texts are escaped, so
	// neither pattern occurs in them.
	svg = bytes.ReplaceAll(svg, []byte(` id="`), []byte(` id="`+id+`-`))
	svg = bytes.ReplaceAll(svg, []byte(`url(#`), []byte(`url(#`+id+`-`))
	return svg, nil
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
