// Package gwtest is what end-to-end tests of several packages share: the
// real gw binary, built once per test process, and the rule for the
// programs a test drives (nginx, promtool, node, Chromium, xmllint): in CI
// (CI=true) a missing one fails the test, since .ci/run installs it;
// elsewhere the test is skipped, saying how to get it. Also the walk of a
// model of an API (Walker, Walk), the reading of decoded JSON (Get,
// Int, List) and of the repository's model files (Models).
package gwtest
