// A real external MCP client: the official TypeScript SDK drives gw.
//
//   node client.mjs stdio <gw binary> <models folder>   starts `gw mcp`
//   node client.mjs http <url>                          connects to a streamable HTTP endpoint
//
// It lists the tools, reads a model resource, checks a model, plans a
// path and a suite, draws a model, walks a session to its end and checks
// the error of a bad call.
// It prints one JSON line of figures and exits 0, or says what failed
// and exits 1. Run by internal/mcp's TestTypeScriptClient.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, target, models] = process.argv.slice(2);

function fail(msg) {
  console.error("FAIL: " + msg);
  process.exit(1);
}

function check(cond, msg) {
  if (!cond) fail(msg);
}

let transport;
if (mode === "stdio") {
  transport = new StdioClientTransport({ command: target, args: ["mcp", "--models", models], stderr: "inherit" });
} else if (mode === "http") {
  transport = new StreamableHTTPClientTransport(new URL(target));
} else {
  fail("usage: node client.mjs stdio <gw> <models folder> | http <url>");
}

const client = new Client({ name: "gw-ts-client-test", version: "1.0.0" });
await client.connect(transport);

async function call(name, args) {
  const res = await client.callTool({ name, arguments: args });
  if (res.isError) fail(`${name}: ${res.content.map((c) => c.text).join("")}`);
  return res.structuredContent;
}

async function callError(name, args, want) {
  const res = await client.callTool({ name, arguments: args });
  check(res.isError, `${name} succeeded, want an error containing "${want}"`);
  const text = res.content.map((c) => c.text).join("");
  check(text.includes(want), `${name}: error "${text}" does not contain "${want}"`);
}

const tools = (await client.listTools()).tools;
const names = tools.map((t) => t.name);
for (const name of ["check_model", "describe_model", "convert_model", "create_draft", "add_edge", "plan_path", "explain_guard",
  "start_session", "next_step", "has_next", "get_data", "set_data", "fail_step", "restart_session", "get_statistics", "close_session",
  "plan_suite", "draw_model"]) {
  check(names.includes(name), `tool ${name} is not listed (tools: ${names.join(", ")})`);
}

const resources = (await client.listResources()).resources;
check(resources.some((r) => r.uri === "gw://models/login.json"), `resources: ${JSON.stringify(resources)}`);
const read = await client.readResource({ uri: "gw://models/login.json" });
check(read.contents[0].text.includes("e_ValidLogin"), "reading gw://models/login.json");

const checked = await call("check_model", { models: [{ path: "login.json" }] });
check(checked.ok === true, `check_model: ${JSON.stringify(checked)}`);

const plan = await call("plan_path", { models: [{ path: "Login.graphml", generator: "shortest_all_paths(edge_coverage(100))" }], seed: 1 });
check(plan.completed === true && plan.length === 22 && plan.coverage.edges.percent === 100, `plan_path: ${JSON.stringify(plan)}`);

// A draft, edit by edit, with the revision of each reply.
const draft = await call("create_draft", { name: "TS", generator: "random(edge_coverage(100))" });
let rev = draft.revision;
const d = draft.draft_id;
rev = (await call("add_vertex", { draft_id: d, expected_revision: rev, id: "a", name: "v_A" })).revision;
rev = (await call("add_vertex", { draft_id: d, expected_revision: rev, id: "b", name: "v_B" })).revision;
rev = (await call("add_edge", { draft_id: d, expected_revision: rev, name: "e_Start", target_vertex_id: "a" })).revision;
rev = (await call("add_edge", { draft_id: d, expected_revision: rev, name: "e_Go", source_vertex_id: "a", target_vertex_id: "b", guard: "ok" })).revision;
rev = (await call("update_draft", { draft_id: d, expected_revision: rev, init_actions: ["ok = false;"] })).revision;
await callError("add_vertex", { draft_id: d, expected_revision: 0, name: "v_C" }, "conflict");
const described = await call("describe_model", { models: [{ draft_id: d }] });
check(described.models[0].edges.length === 2 && described.guards === 1, `describe_model: ${JSON.stringify(described)}`);
const why = await call("explain_guard", { models: [{ draft_id: d }], edge: "e_Go" });
check(why.value === false && why.because[0] === "ok", `explain_guard: ${JSON.stringify(why)}`);
const exported = await call("export_draft", { draft_id: d, format: "dot" });
check(exported.revision === rev && exported.content.includes("e_Go"), `export_draft: ${JSON.stringify(exported)}`);

const planned = await call("plan_suite", { models: [{ path: "login.json" }], cover: "edges" });
check(planned.complete === true && planned.covered === 6 && planned.cases[0].steps[0].name === "e_Init", `plan_suite: ${JSON.stringify(planned)}`);
const drawn = await client.callTool({ name: "draw_model", arguments: { models: [{ path: "login.json" }] } });
check(!drawn.isError && drawn.content[0].text.includes("<svg") && drawn.structuredContent.bytes === drawn.content[0].text.length, "draw_model: no SVG");
await callError("plan_suite", { models: [{ path: "login.json" }], cover: "paths" }, "edge-pairs");

const started = await call("start_session", { models: [{ path: "login.json" }], seed: 7 });
const sid = started.session_id;
check(started.seed === 7 && started.has_next === true, `start_session: ${JSON.stringify(started)}`);
let steps = 0;
let step;
do {
  step = await call("next_step", { session_id: sid });
  steps++;
  check(step.steps === steps, `next_step counted ${step.steps}, want ${steps}`);
} while (step.has_next && steps < 10000);
check(!step.has_next, "the walk did not end");
const stats = await call("get_statistics", { session_id: sid });
check(stats.coverage.edges.percent === 100 && stats.steps === steps, `get_statistics: ${JSON.stringify(stats)}`);
await callError("next_step", { session_id: sid }, "complete");
await call("close_session", { session_id: sid });
await callError("next_step", { session_id: sid }, "no session");

console.log(JSON.stringify({ mode, tools: names.length, planLength: plan.length, sessionSteps: steps, edgeCoverage: stats.coverage.edges.percent }));
await client.close();
