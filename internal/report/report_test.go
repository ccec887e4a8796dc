package report

import (
	"testing"

	"github.com/gw-project/gw/internal/model"
)

func TestJavaHashMapOrder(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		// Order GraphWalker 4.3 printed for a yEd vertex (conformance login-graphml-110).
		{[]string{"description", "x", "y"}, "x description y "},
		{[]string{"y", "x"}, "x y "},
		{[]string{"color"}, "color "},
	}
	for _, tt := range tests {
		var p model.Properties
		for _, k := range tt.in {
			p.Set(k, 1.0)
		}
		got := ""
		for _, kv := range javaHashMapOrder(p) {
			got += kv.Key + " "
		}
		if got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{"Login": "Login", "com.acme.Login": "com.acme", "dir/UC01.graphml": "UC01", "": ""} {
		if got := BaseName(in); got != want {
			t.Errorf("BaseName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJavaStringHash(t *testing.T) {
	// Values of "abc".hashCode() and "description".hashCode() in Java.
	if h := javaStringHash("abc"); h != 96354 {
		t.Errorf("abc: %d", h)
	}
	if h := javaStringHash("description"); h != -1724546052 {
		t.Errorf("description: %d", h)
	}
}
