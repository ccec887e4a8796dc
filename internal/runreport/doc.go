// Package runreport turns run records (internal/record) into what a
// tester and a CI server read: one self-contained HTML page (each model
// drawn and coloured by visit count, statistics, requirements, failures
// with the steps and data leading to them, a timeline, the command that
// replays the run), JUnit XML (a testsuite per model, a testcase per
// requirement and one for the model's walk), and a Markdown summary for a
// CI job page. Several records merge into one coverage: what no run
// covered, per model.
//
// Records are read as streams (Summarize keeps per-element counters, a
// bounded timeline and the last steps before each failure), so a report on
// a record of millions of steps needs little memory.
//
// Models are drawn through the Drawer interface; SceneDrawer, the
// default, is internal/draw's picture (the one `gw draw --record` makes),
// inlined in the page.
package runreport
