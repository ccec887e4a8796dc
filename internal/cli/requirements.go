package cli

import "github.com/gw-project/gw/internal/javastr"

func init() {
	register(&command{
		name:    "requirements",
		summary: "Generates a list of unique names of the requirements found in the model.",
		options: listOptions,
		run: func(env *Env, opts *optionSet) error {
			models, err := readModelFiles(opts)
			if err != nil {
				return err
			}
			// GraphWalker lists every key, the empty one included.
			var keys []string
			for _, m := range models {
				keys = append(keys, m.Requirements...)
				for _, v := range m.Vertices {
					keys = append(keys, v.Requirements...)
				}
				for _, e := range m.Edges {
					keys = append(keys, e.Requirements...)
				}
			}
			return printLines(env, javastr.SortedSet(keys))
		},
	})
}
