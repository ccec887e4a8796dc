package mcp

import (
	"fmt"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// schemaFor infers the JSON schema of a tool input type, as the SDK
// would, so that it can be refined (enums, bounds) before registering.
func schemaFor[T any]() *jsonschema.Schema {
	s, err := jsonschema.For[T](nil)
	if err != nil {
		panic(fmt.Sprintf("mcp: schema of %T: %v", *new(T), err))
	}
	refineModelInputs(s)
	return s
}

// refineModelInputs gives every ModelInput in s (a "models" list, a
// "from" source) its format enum, and "models" at least one item.
func refineModelInputs(s *jsonschema.Schema) {
	for name, p := range s.Properties {
		src := p
		if p.Items != nil {
			src = p.Items
		}
		if src.Properties["content"] == nil || src.Properties["draft_id"] == nil || src.Properties["format"] == nil {
			continue
		}
		src.Properties["format"].Enum = []any{"json", "graphml", "dot"}
		if name == "models" && p.Items != nil {
			one := 1
			p.MinItems = &one
		}
	}
}

// property finds a property by dotted path; "models[].format" steps into
// array items.
func property(s *jsonschema.Schema, path string) *jsonschema.Schema {
	for _, part := range strings.Split(path, ".") {
		items := strings.HasSuffix(part, "[]")
		part = strings.TrimSuffix(part, "[]")
		p := s.Properties[part]
		if p == nil {
			panic("mcp: schema has no property " + path)
		}
		s = p
		if items {
			s = s.Items
		}
	}
	return s
}

// withEnum restricts a string property to values.
func withEnum(s *jsonschema.Schema, path string, values ...string) *jsonschema.Schema {
	p := property(s, path)
	for _, v := range values {
		p.Enum = append(p.Enum, v)
	}
	return s
}

// withMin sets the minimum of a number property.
func withMin(s *jsonschema.Schema, path string, min float64) *jsonschema.Schema {
	property(s, path).Minimum = &min
	return s
}

// withMinItems sets the least number of items of an array property.
func withMinItems(s *jsonschema.Schema, path string, n int) *jsonschema.Schema {
	property(s, path).MinItems = &n
	return s
}
