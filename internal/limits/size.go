package limits

import (
	"fmt"
	"strconv"
	"strings"
)

var units = []struct {
	suffix string
	mult   int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"kB", 1e3},
	{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"k", 1 << 10},
	{"B", 1},
}

// ParseSize reads a byte count as flags write it: "1048576", "64MiB",
// "1.5GiB", "512k". Binary suffixes (KiB, MiB, GiB, and K, M, G) count
// 1024s; KB, MB and GB count 1000s.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		if n < 0 || mult > 1 && n > (1<<62)/mult {
			return 0, fmt.Errorf("%q is not a size (write e.g. 64MiB, 2GiB or 1048576)", s)
		}
		return n * mult, nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f*float64(mult) > 1<<62 || t == "" {
		return 0, fmt.Errorf("%q is not a size (write e.g. 64MiB, 2GiB or 1048576)", s)
	}
	return int64(f * float64(mult)), nil
}

// FormatSize writes n bytes the way people read them: "64 MiB", "1.5 GiB",
// "900 bytes".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return trim(float64(n)/(1<<30)) + " GiB"
	case n >= 1<<20:
		return trim(float64(n)/(1<<20)) + " MiB"
	case n >= 1<<10:
		return trim(float64(n)/(1<<10)) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func trim(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}
