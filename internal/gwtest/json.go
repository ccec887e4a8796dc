package gwtest

// Get walks a decoded JSON value (maps, slices, numbers as float64) by
// object keys and array indexes; a missing step gives nil.
func Get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k < 0 || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// Int is a decoded JSON number as an int (0 if v is not a number).
func Int(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// List is a decoded JSON array (nil if v is not one).
func List(v any) []any {
	a, _ := v.([]any)
	return a
}
