package ws

import (
	"fmt"
	"github.com/gw-project/gw/internal/script"
	"strings"
	"testing"
	"time"
)

// FuzzHandle feeds a session a conversation: frames separated by NUL.
// Whatever arrives, the session must answer with well-formed JSON (or stay
// silent), never panic and never hang.
func FuzzHandle(f *testing.F) {
	small := smallModel(f)
	legacy := readFile(f, "testdata/legacy_small.json")
	api := readFile(f, "testdata/WebSocketAPI.json")
	graphml := readFile(f, "testdata/simple.graphml")
	seeds := []string{
		`{command:"start", seed:1, gw:` + small + "}\x00{command:getNext}\x00{command:getNext}\x00{command:getData}\x00{command:getModel}\x00{command:updateAllElements}",
		`{command:"start", gw:` + api + "}\x00{command:hasNext}\x00{command:getNext}\x00{command:setData, action:'legacyModels=5'}",
		legacy + "\x00{type:start}\x00{type:getNext}\x00{type:getData}\x00{type:hasNext}\x00{type:restart}",
		`{command:"convertGraphml", graphml:` + string(quoteJSON(graphml)) + `}`,
		`{command:"mode"}`, `not json`, `{`, `{"a":1,"a":2}`, `{command:5}`, `{type:"loadModel", model:{}}`,
		`{command:"start", gw:{models:[{generator:"random(never)", startElementId:"e", vertices:[{id:"v"}], edges:[{id:"e", targetVertexId:"v", guard:"x.y"}, {id:"f", sourceVertexId:"v", targetVertexId:"v", actions:["while(true){}"]}]}]}}` + "\x00{command:getNext}\x00{command:getNext}\x00{command:getNext}",
		"{command:start, seed:'12', gw:{models:[]}}\x00{command:restart}",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, conv string) {
		s, got := fake(Options{Script: script.Limits{Timeout: 20 * time.Millisecond}})
		defer s.end()
		for _, frame := range strings.Split(conv, "\x00") {
			*got = nil
			hang := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("handle hangs on %q (conversation %q)", frame, conv)) })
			err := s.handle(frame)
			hang.Stop()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range *got {
				if strings.Contains(r, "internal error in gw") {
					t.Fatalf("panic on %q", frame)
				}
				checkKeyOrder(t, r)
			}
		}
	})
}

func quoteJSON(s string) []byte {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return []byte(b.String())
}
