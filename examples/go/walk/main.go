// Command walk runs the flow of GraphWalker's WebSocket documentation
// against a running `gw online`: load a model, start the machine, ask
// hasNext/getNext until the walk is done, printing each element, then
// print the model's data.
//
//	gw online &
//	go run ./examples/go/walk [ws://localhost:8887]
//
// It speaks the documented {"type": ...} dialect of GraphWalker 3; the 4.x
// dialect is the same flow with {"command":"start","gw":{"models":[...]}},
// {"command":"hasNext"}, {"command":"getNext"} and {"command":"getData"}.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/coder/websocket"
)

// model is a GraphWalker 3 model: a login dialog, walked until every edge
// has been taken once.
const model = `{"type":"loadModel","model":{
  "name":"Login","generator":"random(edge_coverage(100))",
  "vertices":[
    {"id":"n1","name":"v_ClientNotRunning"},
    {"id":"n2","name":"v_LoginPrompted"},
    {"id":"n3","name":"v_Browse"}],
  "edges":[
    {"id":"e0","name":"e_Init","dstVertexId":"n1","startElement":true,"actions":[{"action":"loggedIn=false;"}]},
    {"id":"e1","name":"e_StartClient","srcVertexId":"n1","dstVertexId":"n2"},
    {"id":"e2","name":"e_ValidPremiumCredentials","srcVertexId":"n2","dstVertexId":"n3","actions":[{"action":"loggedIn=true;"}]},
    {"id":"e3","name":"e_Logout","srcVertexId":"n3","dstVertexId":"n2","actions":[{"action":"loggedIn=false;"}]},
    {"id":"e4","name":"e_Exit","srcVertexId":"n2","dstVertexId":"n1"}]}}`

func main() {
	url := "ws://localhost:8887"
	if len(os.Args) > 1 {
		url = os.Args[1]
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, url, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "walk:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url string, out io.Writer) error {
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return fmt.Errorf("%w (is `gw online` running?)", err)
	}
	defer c.CloseNow()

	// call sends a request and returns its reply: the next message of the
	// same type (the server also pushes visitedElement messages).
	call := func(request, typ string) (map[string]any, error) {
		if err := c.Write(ctx, websocket.MessageText, []byte(request)); err != nil {
			return nil, err
		}
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return nil, err
			}
			var reply map[string]any
			if err := json.Unmarshal(b, &reply); err != nil {
				return nil, fmt.Errorf("bad reply %q: %w", b, err)
			}
			if reply["type"] == typ || reply["type"] == nil {
				if reply["success"] != true {
					return nil, fmt.Errorf("%s failed: %v", typ, reply["message"])
				}
				return reply, nil
			}
		}
	}

	if _, err := call(model, "loadModel"); err != nil {
		return err
	}
	started, err := call(`{"type":"start"}`, "start")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "started %s (seed %.0f)\n", url, started["seed"])
	steps := 0
	for {
		r, err := call(`{"type":"hasNext"}`, "hasNext")
		if err != nil {
			return err
		}
		if r["hasNext"] != true {
			break
		}
		if r, err = call(`{"type":"getNext"}`, "getNext"); err != nil {
			return err
		}
		steps++
		fmt.Fprintln(out, r["name"])
	}
	r, err := call(`{"type":"getData"}`, "getData")
	if err != nil {
		return err
	}
	// GraphWalker 3 sends data as a list of one-entry objects.
	var data []string
	for _, e := range r["data"].([]any) {
		for k, v := range e.(map[string]any) {
			data = append(data, fmt.Sprintf("%s=%v", k, v))
		}
	}
	sort.Strings(data)
	fmt.Fprintf(out, "done after %d steps; data: %v\n", steps, data)
	return c.Close(websocket.StatusNormalClosure, "done")
}
