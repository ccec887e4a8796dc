package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/inputfile"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
)

// gw draw --record RECORD colours the drawing by a run record's visit
// counts (visitsOfRecord); without --model it draws the models the record
// carries (modelsOfRecord).

// modelsOfRecord returns the models a record carries in its header,
// reading no line longer than maxLine (--max-file-size).
func modelsOfRecord(file string, maxLine int64) ([]*model.Model, error) {
	r, err := record.OpenWith(file, record.ReadOptions{MaxLine: maxLine, Flag: inputfile.Flag})
	if err != nil {
		return nil, fmt.Errorf("Could not read the run record: %w", err)
	}
	r.Close()
	return r.Models, nil
}

// visitsOfRecord counts a record's steps on models (draw.NewVisits(models)
// filled with Visits.Visit): each recorded model is
// found among them by id, else by name, and each element by its id, so a
// record draws on a later version of its models as long as the elements it
// visited are still there.
func visitsOfRecord(file string, models []*model.Model, maxLine int64) (*draw.Visits, error) {
	r, err := record.OpenWith(file, record.ReadOptions{MaxLine: maxLine, Flag: inputfile.Flag})
	if err != nil {
		return nil, fmt.Errorf("Could not read the run record: %w", err)
	}
	defer r.Close()
	// to[i][el] is recorded model i's element el among models.
	to := make([][]draw.Ref, len(r.Models))
	for i, rm := range r.Models {
		mi := drawnModel(rm, models)
		if mi < 0 {
			return nil, fmt.Errorf("%s: the record's model %q is not among the models drawn; draw without --model to use the record's own", file, rm.Name)
		}
		to[i] = make([]draw.Ref, rm.NumElements())
		for el := range to[i] {
			to[i][el] = draw.NoRef
			if d, ok := models[mi].ElementByID(rm.ElementID(el)); ok {
				to[i][el] = draw.Ref{Model: mi, Element: d}
			}
		}
	}
	v := draw.NewVisits(models)
	for {
		l, err := r.Next()
		if errors.Is(err, io.EOF) {
			return v, nil
		}
		if err != nil {
			return nil, err
		}
		if l.Type != "step" {
			continue
		}
		ref := to[l.Model][l.Element]
		if ref == draw.NoRef {
			rm := r.Models[l.Model]
			return nil, fmt.Errorf("%s: step %d visits %s of model %q, which the drawn model does not have; draw without --model to use the record's own models", file, l.N, rm.Describe(l.Element), rm.Name)
		}
		v.Visit(ref)
	}
}

func drawnModel(rm *model.Model, models []*model.Model) int {
	if rm.ID != "" {
		for i, m := range models {
			if m.ID == rm.ID {
				return i
			}
		}
	}
	for i, m := range models {
		if m.Name == rm.Name {
			return i
		}
	}
	return -1
}
