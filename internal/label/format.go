package label

import (
	"strconv"
	"strings"
)

// String formats v as a node label that ParseVertex reads back as v,
// provided the fields are themselves valid (a name made of identifiers,
// actions ending with ';', tags without ','). Fields go on separate lines;
// REQTAG comes last because it takes the rest of the label.
func (v VertexLabel) String() string {
	if v.Start {
		return "Start"
	}
	var parts []string
	if v.Name != "" {
		parts = append(parts, v.Name)
	}
	if v.SharedState != "" {
		parts = append(parts, "SHARED:"+v.SharedState)
	}
	if a := strings.Join(v.InitActions, ""); a != "" {
		// "INIT: " + "/…" would start a " //" comment, and a space before
		// an action that starts with whitespace would merge into it.
		if a[0] == '/' || isWS(a[0]) {
			parts = append(parts, "INIT:"+a)
		} else {
			parts = append(parts, "INIT: "+a)
		}
	}
	if v.Blocked {
		parts = append(parts, "BLOCKED")
	}
	if r := reqtags(v.Requirements); r != "" {
		parts = append(parts, r)
	}
	return strings.Join(parts, "\n")
}

// String formats e as an edge label that ParseEdge reads back as e, with
// the same provisos as VertexLabel.String. Actions are joined into one
// block, as GraphWalker reads them.
func (e EdgeLabel) String() string {
	var parts []string
	if e.Name != "" {
		parts = append(parts, e.Name)
	}
	if e.HasGuard || e.Guard != "" {
		parts = append(parts, "["+e.Guard+"]")
	}
	if a := strings.Join(e.Actions, ""); a != "" {
		if a[0] == '/' && len(parts) > 0 {
			// "\n//…" would be a comment: attach the block to the field
			// before it instead.
			parts[len(parts)-1] += "/" + a
		} else {
			parts = append(parts, "/"+a)
		}
	}
	if e.HasWeight {
		parts = append(parts, "weight="+strconv.FormatFloat(e.Weight, 'f', -1, 64))
	}
	if e.HasDependency {
		parts = append(parts, "dependency="+strconv.Itoa(e.Dependency))
	}
	if e.Blocked {
		parts = append(parts, "BLOCKED")
	}
	if r := reqtags(e.Requirements); r != "" {
		parts = append(parts, r)
	}
	return strings.Join(parts, "\n")
}

// reqtags formats a REQTAG field; empty tags cannot be written and are
// left out.
func reqtags(tags []string) string {
	var sb strings.Builder
	for _, t := range tags {
		if t == "" {
			continue
		}
		if sb.Len() == 0 {
			sb.WriteString("REQTAG: ")
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(t)
	}
	return sb.String()
}
