package model

// Property is one key/value of an element's free-form properties. Values
// are float64, bool, string, []any, Properties (a nested object) or nil.
type Property struct {
	Key   string
	Value any
}

// Properties is an ordered map: order is kept from the source file so that
// output is deterministic.
type Properties []Property

// Get returns the value of key.
func (p Properties) Get(key string) (any, bool) {
	for _, kv := range p {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return nil, false
}

// Set replaces the value of key, or appends it.
func (p *Properties) Set(key string, value any) {
	for i := range *p {
		if (*p)[i].Key == key {
			(*p)[i].Value = value
			return
		}
	}
	*p = append(*p, Property{key, value})
}

// Delete removes key.
func (p *Properties) Delete(key string) {
	for i := range *p {
		if (*p)[i].Key == key {
			*p = append((*p)[:i], (*p)[i+1:]...)
			return
		}
	}
}
