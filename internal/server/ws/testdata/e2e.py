"""End-to-end check of gw online's WebSocket service with a client not
written in Go (Python's websockets). Usage: e2e.py URL TESTDATA_DIR
Exits 0 when every check passes, 1 with the failures on stderr."""
import asyncio
import json
import os
import sys

import websockets

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


async def call(ws, msg, n=1):
    await ws.send(msg)
    return [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(n)]


async def modern(ws, small):
    # GraphWalker's own Java test client sends unquoted keys.
    [r] = await call(ws, '{ command: "start", seed: 42, gw: %s}' % small)
    check(r == {"seed": 42, "success": True, "command": "start"}, "start: %r" % r)
    names = []
    for _ in range(1000):
        [r] = await call(ws, '{ command: "hasNext"}')
        check(r["success"] is True and r["command"] == "hasNext", "hasNext: %r" % r)
        if not r["hasNext"]:
            break
        pushed, r = await call(ws, '{ command: "getNext"}', 2)
        check(pushed["command"] == "visitedElement", "push before getNext: %r" % pushed)
        check(pushed["elementId"] == r["elementId"] and r["success"], "getNext: %r %r" % (pushed, r))
        check(pushed["totalCount"] == len(names) + 1, "totalCount: %r" % pushed)
        check(pushed["data"] == {"value": "54686327"}, "visitedElement data: %r" % pushed)
        names.append(r["name"])
    check(names[0] == "e_FirstAction", "first step: %r" % names[:1])
    check(set(names) >= {"e_FirstAction", "e_AnotherAction", "e_SomeOtherAction"}, "edge coverage: %r" % names)
    [r] = await call(ws, '{"command":"setData","action":"value=7; ok=true"}')
    check(r == {"success": True, "command": "setData"}, "setData: %r" % r)
    [r] = await call(ws, '{"command":"getData"}')
    check(r["data"] == {"value": "7", "ok": "true"}, "getData: %r" % r)
    [r] = await call(ws, '{"command":"updateAllElements"}')
    check(sum(e["visitedCount"] for e in r["elements"]) == len(names), "updateAllElements: %r" % r)
    [r] = await call(ws, '{"command":"getModel"}')
    check(json.loads(r["models"])["models"][0]["name"] == "SmallModel", "getModel: %r" % r)
    # bad input: each answered, the connection keeps working
    [r] = await call(ws, "not json")
    check(r["success"] is False and r["message"].startswith("Unknown command: "), "bad JSON: %r" % r)
    await ws.send(b"\x00\x01")
    r = json.loads(await ws.recv())
    check("Binary" in r["message"], "binary: %r" % r)
    # GraphWalker sends nothing back; gw says what a message needs
    [r] = await call(ws, '{"no":"command"}')
    check(r["success"] is False and '"command"' in r["message"], "no command: %r" % r)
    [r] = await call(ws, '{"command":"mode"}')
    check(r["command"] == "mode" and r["mode"] == "EDITOR", "silence then mode: %r" % r)
    issues, r = await call(ws, '{"command":"setData","action":"throw new Error(\'x\')"}', 2)
    check(issues["command"] == "issues" and r["success"] is False and r["command"] == "setData" and "Error: x" in r["message"], "issues: %r %r" % (issues, r))
    return len(names)


async def legacy(ws, load):
    [r] = await call(ws, '{"type":"getNext"}')
    check(r.get("success") is False and "not initiated" in r.get("message", ""), "3.x before start: %r" % r)
    [r] = await call(ws, load)
    check(r == {"success": True, "type": "loadModel"}, "loadModel: %r" % r)
    [r] = await call(ws, '{"type":"start"}')
    check(r["success"] is True and r["type"] == "start", "3.x start: %r" % r)
    steps = 0
    while steps < 1000:
        [r] = await call(ws, '{"type":"hasNext"}')
        if not r["hasNext"]:
            break
        pushed, r = await call(ws, '{"type":"getNext"}', 2)
        check(pushed["type"] == "visitedElement" and pushed["id"] == r["id"], "3.x getNext: %r %r" % (pushed, r))
        steps += 1
    [r] = await call(ws, '{"type":"getData"}')
    check(r["data"] == [{"value": "54686327"}], "3.x getData: %r" % r)
    [r] = await call(ws, '{"type":"restart"}')
    check(r == {"success": True, "type": "restart"}, "3.x restart: %r" % r)
    return steps


async def main(url, testdata):
    with open(os.path.join(testdata, "SmallModel.json")) as f:
        small = f.read()
    with open(os.path.join(testdata, "legacy_small.json")) as f:
        load = f.read()
    async with websockets.connect(url, max_size=None) as ws:
        n = await modern(ws, small)
    async with websockets.connect(url, max_size=None) as ws:
        m = await legacy(ws, load)
    print("python e2e: %d + %d steps" % (n, m))


asyncio.run(main(sys.argv[1], sys.argv[2]))
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
