#!/usr/bin/env python3
"""Run the flow of GraphWalker's WebSocket documentation against a running
`gw online`: load a model, start the machine, ask hasNext/getNext until the
walk is done, printing each element, then print the model's data.

    gw online &
    python3 examples/python/walk.py [ws://localhost:8887]

Needs the websockets package (Debian: python3-websockets; pip: websockets).
It speaks the documented {"type": ...} dialect of GraphWalker 3; the 4.x
dialect is the same flow with {"command": "start", "gw": {"models": [...]}},
{"command": "hasNext"}, {"command": "getNext"} and {"command": "getData"}.
"""
import asyncio
import json
import sys

try:
    import websockets
except ImportError:
    sys.exit("walk.py needs the Python package websockets, which is not installed:\n"
             "  pip install websockets          (or, on Debian/Ubuntu: sudo apt install python3-websockets)\n"
             "then run it again: python3 examples/python/walk.py [ws://localhost:8887]")

# A GraphWalker 3 model: a login dialog, walked until every edge has been
# taken once.
MODEL = {
    "name": "Login",
    "generator": "random(edge_coverage(100))",
    "vertices": [
        {"id": "n1", "name": "v_ClientNotRunning"},
        {"id": "n2", "name": "v_LoginPrompted"},
        {"id": "n3", "name": "v_Browse"},
    ],
    "edges": [
        {"id": "e0", "name": "e_Init", "dstVertexId": "n1", "startElement": True,
         "actions": [{"action": "loggedIn=false;"}]},
        {"id": "e1", "name": "e_StartClient", "srcVertexId": "n1", "dstVertexId": "n2"},
        {"id": "e2", "name": "e_ValidPremiumCredentials", "srcVertexId": "n2", "dstVertexId": "n3",
         "actions": [{"action": "loggedIn=true;"}]},
        {"id": "e3", "name": "e_Logout", "srcVertexId": "n3", "dstVertexId": "n2",
         "actions": [{"action": "loggedIn=false;"}]},
        {"id": "e4", "name": "e_Exit", "srcVertexId": "n2", "dstVertexId": "n1"},
    ],
}


async def call(ws, request):
    """Send a request and return its reply: the next message of the same
    type (the server also pushes visitedElement messages)."""
    await ws.send(json.dumps(request))
    while True:
        reply = json.loads(await ws.recv())
        if reply.get("type") in (request["type"], None):
            if not reply.get("success"):
                raise RuntimeError("%s failed: %s" % (request["type"], reply.get("message")))
            return reply


async def walk(url):
    async with websockets.connect(url) as ws:
        await call(ws, {"type": "loadModel", "model": MODEL})
        started = await call(ws, {"type": "start"})
        print("started %s (seed %d)" % (url, started["seed"]))
        steps = 0
        while (await call(ws, {"type": "hasNext"}))["hasNext"]:
            print((await call(ws, {"type": "getNext"}))["name"])
            steps += 1
        data = (await call(ws, {"type": "getData"}))["data"]
        # GraphWalker 3 sends data as a list of one-entry objects.
        pairs = sorted("%s=%s" % kv for entry in data for kv in entry.items())
        print("done after %d steps; data: %s" % (steps, pairs))


if __name__ == "__main__":
    try:
        asyncio.run(walk(sys.argv[1] if len(sys.argv) > 1 else "ws://localhost:8887"))
    except OSError as e:
        sys.exit("walk: %s (is `gw online` running?)" % e)
