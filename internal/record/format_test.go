package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/model"
)

// The header line is spliced together rather than marshalled whole, and
// a model's digest comes from the same marshalling as its JSON: both must
// be byte for byte what the straightforward way gives.
func TestHeaderAsEncodingJSON(t *testing.T) {
	tricky := login(t, "random(edge_coverage(100))")
	tricky.Name = "Lo<gin> & \"co\" \u2028 \\ é"
	tricky.Vertices[0].Name = "v_<Start>\u2029&"
	models := gwtest.Models(t, "../../examples/models/login.json")
	models = append(models, gwtest.Models(t, "../machine/testdata/petClinic.json")...)
	models = append(models, tricky, login(t, ""))
	entries, err := Entries(models)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range models {
		c := *m
		c.Generator = ""
		noGen, err := gwjson.Marshal([]*model.Model{&c}, gwjson.WriteOptions{EmptyModelName: true})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(noGen)
		if want := "sha256:" + hex.EncodeToString(sum[:]); entries[i].Digest != want {
			t.Errorf("model %q: digest %s, want %s", m.Name, entries[i].Digest, want)
		}
		withGen, _ := gwjson.Marshal([]*model.Model{m}, gwjson.WriteOptions{EmptyModelName: true})
		if want := withGen[len(`{"models":[`) : len(withGen)-2]; !bytes.Equal(entries[i].Model, want) {
			t.Errorf("model %q: JSON differs from gwjson.Marshal's", m.Name)
		}
	}
	for _, h := range []Header{
		{Type: "header", RecordVersion: Version, GW: "test", GraphWalker: GraphWalker, Seed: 7, Start: "2026-12-03T00:00:00Z", Service: "offline",
			Command: []string{"gw", "offline", "-m", "a<b>&c.json", "random(length(3))"}, Output: &Output{Verbose: true}, Models: entries},
		{Type: "header", RecordVersion: Version, Service: "websocket", Client: "127.0.0.1:5555", Dialect: "4.x", Models: entries[:1]},
		{Type: "header", Service: "rest", Models: nil},
		{Type: "header", Service: "rest", Models: []ModelEntry{{Name: "empty"}}},
	} {
		want, err := json.Marshal(&h)
		if err != nil {
			t.Fatal(err)
		}
		parts, err := headerParts(&h)
		if err != nil {
			t.Fatal(err)
		}
		got := bytes.Join(parts, nil)
		if !bytes.Equal(got, append(want, '\n')) {
			t.Errorf("header line\n got %.300s\nwant %.300s", got, want)
		}
	}
}
