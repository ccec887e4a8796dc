package ops_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func readDeploy(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../deploy/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func durationIn(t *testing.T, what, text, pattern string) time.Duration {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%s: no match for %s", what, pattern)
	}
	if n, err := strconv.Atoi(m[1]); err == nil {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(m[1])
	if err != nil {
		t.Fatalf("%s: %q: %v", what, m[1], err)
	}
	return d
}

// TestDeployFilesAgree: the stop deadlines of systemd and Kubernetes
// cover the drain they configure, and the container is what the issue
// promises (static, non-root, no shell).
func TestDeployFilesAgree(t *testing.T) {
	unit := readDeploy(t, "systemd/gw@.service")
	drain := durationIn(t, "systemd", unit, `--drain-timeout (\S+)`)
	stop := durationIn(t, "systemd", unit, `TimeoutStopSec=(\S+)`)
	if stop < drain+5*time.Second {
		t.Errorf("systemd: TimeoutStopSec %v does not cover --drain-timeout %v plus 5 s of shutdown", stop, drain)
	}

	k8s := readDeploy(t, "kubernetes/gw.yaml")
	drain = durationIn(t, "kubernetes", k8s, `--drain-timeout=(\S+)`)
	grace := durationIn(t, "kubernetes", k8s, `terminationGracePeriodSeconds: (\d+)`)
	preStop := durationIn(t, "kubernetes", k8s, `sleep: \{seconds: (\d+)\}`)
	if grace < preStop+drain+5*time.Second {
		t.Errorf("kubernetes: terminationGracePeriodSeconds %v < preStop %v + drain %v + 5 s", grace, preStop, drain)
	}
	for _, want := range []string{"path: /readyz", "path: /healthz", "kind: PodDisruptionBudget", "kind: Service", "runAsNonRoot: true"} {
		if !strings.Contains(k8s, want) {
			t.Errorf("kubernetes: lacks %q", want)
		}
	}

	cf := readDeploy(t, "Containerfile")
	for _, want := range []string{"CGO_ENABLED=0", "USER nonroot", "distroless/static", "STOPSIGNAL SIGTERM"} {
		if !strings.Contains(cf, want) {
			t.Errorf("Containerfile: lacks %q", want)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^FROM `).FindAllString(cf, -1)); n < 2 {
		t.Errorf("Containerfile: %d stages, want a build stage and a runtime stage", n)
	}

	ng := readDeploy(t, "nginx/gw.conf")
	for _, want := range []string{"least_conn;", "proxy_set_header Upgrade $http_upgrade;", "proxy_read_timeout 1h;", "http_503"} {
		if !strings.Contains(ng, want) {
			t.Errorf("nginx: lacks %q", want)
		}
	}
}
