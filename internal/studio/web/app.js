// gw studio: console, model view, live run and session debugger.
// Plain JavaScript, no framework, no build step; everything it needs is
// served by gw itself.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const SVG = 'http://www.w3.org/2000/svg';
const token = new URLSearchParams(location.search).get('token') || '';
const authHeaders = token ? { 'X-Gw-Studio-Token': token } : {};

function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
function s(tag, attrs = {}) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function showError(msg) {
  $('#error-text').textContent = msg;
  $('#error').hidden = false;
}
function clearError() { $('#error').hidden = true; }

async function api(method, path, body) {
  const r = await fetch(path, { method, headers: authHeaders, body });
  const j = await r.json().catch(() => ({ error: r.status + ' ' + r.statusText }));
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

// ---- colours: the scale of gw draw (draw.VisitColour) ----
const LOW = [0xc7, 0xe9, 0xc0], HIGH = [0x00, 0x6d, 0x2c];
function visitColour(count, max, edge) {
  let k = max <= 1 ? 0 : Math.log(count) / Math.log(max);
  if (edge) k = 0.35 + 0.65 * k;
  const c = LOW.map((l, i) => Math.round(l + (HIGH[i] - l) * k));
  return { colour: '#' + c.map(x => x.toString(16).padStart(2, '0')).join(''), dark: k > 0.55 };
}

// ---- View: draws a scene (draw.Scene JSON) and lights a run on it ----
class View {
  constructor(root) {
    this.root = root;
    root.replaceChildren(
      this.tabs = h('div', { class: 'tabs' }),
      this.graph = h('div', { class: 'graph' }),
      h('div', { class: 'panels' },
        h('div', {}, h('h3', { text: 'Path' }), this.pathInfo = h('div', { class: 'muted' }), this.path = h('ol', { class: 'path' })),
        h('div', {}, h('h3', { text: 'Data' }), this.data = h('table', { class: 'data' })),
        h('div', {}, h('h3', { text: 'Stop condition & statistics' }), this.stats = h('table', { class: 'stats' })),
        h('div', {}, h('h3', { text: 'Requirements' }), this.reqs = h('table', { class: 'reqs' }))));
    this.scene = null;
  }

  load(scene) {
    this.scene = scene;
    this.svgs = []; this.nodes = [];
    this.tabs.replaceChildren();
    this.graph.replaceChildren();
    scene.models.forEach((m, mi) => {
      const b = h('button', { text: m.name || ('model ' + (mi + 1)), 'data-model': mi, onclick: () => this.show(mi) });
      this.tabs.append(b);
      const svg = this.draw(m, mi);
      svg.style.display = 'none';
      this.svgs.push(svg);
      this.graph.append(svg);
    });
    this.reset();
    this.show(0);
  }

  show(mi) {
    this.svgs.forEach((svg, i) => { svg.style.display = i === mi ? '' : 'none'; });
    [...this.tabs.children].forEach((b, i) => b.setAttribute('aria-selected', i === mi));
    this.shown = mi;
  }

  draw(m, mi) {
    const svg = s('svg', { width: m.width, height: m.height, viewBox: `0 0 ${m.width} ${m.height}`, 'data-model': mi });
    const defs = s('defs');
    const marker = s('marker', { id: 'arrow' + mi + (this.root.id || ''), viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto' });
    marker.append(s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#555' }));
    defs.append(marker);
    svg.append(defs);
    const nodes = [];
    const nv = m.vertices.length;
    m.edges.forEach((e, j) => {
      const g = s('g', { class: 'edge', 'data-el': nv + j, 'data-id': e.id, 'data-name': e.name });
      if (e.blocked) g.classList.add('blocked');
      if (m.start === nv + j) g.classList.add('start');
      const title = s('title');
      title.textContent = [e.name || '(unnamed edge)', e.guard && 'guard: ' + e.guard, e.actions && 'actions: ' + e.actions.join(' '),
        e.requirements && 'requirements: ' + e.requirements.join(', '), e.blocked && 'BLOCKED', m.start === nv + j && 'start element'].filter(Boolean).join('\n');
      g.append(title);
      if (e.path.length >= 4) {
        let d = `M${e.path[0]},${e.path[1]}`;
        for (let i = 2; i + 5 < e.path.length; i += 6) d += ` C${e.path.slice(i, i + 6).join(',')}`;
        g.append(s('path', { d, 'marker-end': `url(#${marker.id})` }));
      }
      if (e.dot) g.append(s('circle', { cx: e.dot.x + e.dot.w / 2, cy: e.dot.y + e.dot.h / 2, r: e.dot.w / 2, fill: '#333' }));
      if (e.labelBox) {
        const t = s('text', { x: e.labelBox.x, y: e.labelBox.y + e.labelBox.h * 0.8 });
        t.textContent = e.label;
        g.append(t);
      }
      g.addEventListener('click', () => this.onpick && this.onpick(e.name || e.id));
      nodes[nv + j] = g;
      svg.append(g);
    });
    m.vertices.forEach((v, i) => {
      const g = s('g', { class: 'vertex', 'data-el': i, 'data-id': v.id, 'data-name': v.name });
      if (v.blocked) g.classList.add('blocked');
      if (v.shared) g.classList.add('shared');
      if (m.start === i) g.classList.add('start');
      const title = s('title');
      title.textContent = [v.name || '(unnamed vertex)', v.shared && 'shared state: ' + v.shared, v.actions && 'actions: ' + v.actions.join(' '),
        v.requirements && 'requirements: ' + v.requirements.join(', '), v.blocked && 'BLOCKED', m.start === i && 'start element'].filter(Boolean).join('\n');
      g.append(title, s('rect', { x: v.x, y: v.y, width: v.w, height: v.h, rx: 4 }));
      const t = s('text', { x: v.x + v.w / 2, y: v.y + v.h / 2 + 4, 'text-anchor': 'middle' });
      t.textContent = v.label + (v.blocked ? ' (BLOCKED)' : '') + (v.shared ? ' ⇄' : '');
      g.append(t);
      g.addEventListener('click', () => this.onpick && this.onpick(v.name || v.id));
      nodes[i] = g;
      svg.append(g);
    });
    this.nodes[mi] = nodes;
    return svg;
  }

  reset() {
    if (!this.scene) return;
    this.counts = this.scene.models.map(m => new Array(m.vertices.length + m.edges.length).fill(0));
    this.max = this.scene.models.map(() => 0);
    this.current = null;
    this.steps = 0;
    this.dirty = new Set(); this.dirtyModels = new Set(); this.pending = [];
    this.path.replaceChildren();
    this.pathInfo.textContent = '';
    this.scene.models.forEach((m, mi) => this.recolour(mi));
  }

  // setVisits takes a snapshot's counts.
  setVisits(visits, current, steps) {
    this.counts = visits.map(c => c.slice());
    this.max = visits.map(c => Math.max(0, ...c));
    this.current = current && current[0] >= 0 ? current : null;
    this.steps = steps;
    this.dirty = new Set(); this.dirtyModels = new Set(); this.pending = [];
    this.path.replaceChildren();
    this.pathInfo.textContent = steps ? `${steps} steps before watching` : '';
    this.scene.models.forEach((m, mi) => this.recolour(mi));
  }

  recolour(mi) { this.counts[mi].forEach((_, el) => this.paint(mi, el)); }

  paint(mi, el) {
    const g = this.nodes[mi] && this.nodes[mi][el];
    if (!g) return;
    const n = this.counts[mi][el];
    const edge = g.classList.contains('edge');
    const cur = this.current && this.current[0] === mi && this.current[1] === el;
    g.classList.toggle('visited', n > 0);
    g.classList.toggle('unvisited', n === 0);
    g.classList.toggle('current', !!cur);
    g.dataset.visits = n;
    const shape = g.querySelector(edge ? 'path' : 'rect');
    const text = g.querySelector('text');
    if (!shape) return;
    if (n > 0 && !cur) {
      const c = visitColour(n, this.max[mi], edge);
      if (edge) shape.style.stroke = c.colour; else shape.style.fill = c.colour;
      if (text && !edge) text.style.fill = c.dark ? '#fff' : '';
    } else {
      shape.style.stroke = ''; shape.style.fill = '';
      if (text) text.style.fill = '';
    }
  }

  // visit counts one step on element el of model mi; the picture and
  // the path list catch up once per animation frame, so that a fast run
  // costs one repaint a frame, not one per step.
  visit(mi, el) {
    if (!this.scene || !this.counts[mi]) return;
    if (this.current) this.dirty.add(this.current[0] + ':' + this.current[1]);
    this.current = [mi, el];
    const n = ++this.counts[mi][el];
    this.steps++;
    if (n > this.max[mi]) { this.max[mi] = n; this.dirtyModels.add(mi); } else this.dirty.add(mi + ':' + el);
    const m = this.scene.models[mi];
    const nv = m.vertices.length;
    const item = el < nv ? m.vertices[el] : m.edges[el - nv];
    this.pending.push(h('li', { text: (this.scene.models.length > 1 ? m.name + ': ' : '') + (item.name || item.id), 'data-id': item.id, value: this.steps }));
    if (this.pending.length > 500) this.pending.shift();
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    // A big picture repaints at most 10 times a second, so that the page
    // stays responsive at thousands of steps a second; a hidden page gets
    // no animation frames, a timer flushes it.
    const size = this.scene.models.reduce((n, m) => n + m.vertices.length + m.edges.length, 0);
    this.frame = setTimeout(() => { if (document.hidden) this.flush(); else requestAnimationFrame(() => this.flush()); }, size > 500 ? 100 : 16);
  }

  flush() {
    this.frame = null;
    for (const mi of this.dirtyModels) this.recolour(mi);
    for (const key of this.dirty) {
      const [mi, el] = key.split(':').map(Number);
      if (!this.dirtyModels.has(mi)) this.paint(mi, el);
    }
    if (this.current && !this.dirtyModels.has(this.current[0])) this.paint(this.current[0], this.current[1]);
    this.dirty.clear();
    this.dirtyModels.clear();
    this.path.append(...this.pending.splice(0));
    let extra = this.path.children.length - 500;
    while (extra-- > 0) this.path.firstChild.remove();
    if (this.steps > this.path.children.length) this.pathInfo.textContent = `${this.steps} steps; the last ${this.path.children.length} listed`;
    if (this.current && this.current[0] !== this.shown) this.show(this.current[0]);
  }

  // find resolves a model id and element id of a protocol message.
  find(modelId, elementId) {
    if (!this.scene) return null;
    const look = mi => {
      const m = this.scene.models[mi];
      let i = m.vertices.findIndex(v => v.id === elementId);
      if (i >= 0) return [mi, i];
      i = m.edges.findIndex(e => e.id === elementId);
      return i >= 0 ? [mi, m.vertices.length + i] : null;
    };
    const mi = this.scene.models.findIndex(m => m.id && m.id === modelId);
    if (mi >= 0) { const r = look(mi); if (r) return r; }
    for (let i = 0; i < this.scene.models.length; i++) { const r = look(i); if (r) return r; }
    return null;
  }

  setData(pairs, error) {
    this.data.replaceChildren(...pairs.map(([k, v]) => h('tr', {}, h('td', { class: 'key', text: k }), h('td', { class: 'value', text: v }))));
    if (error) this.data.append(h('tr', {}, h('td', { class: 'err', text: error })));
  }

  // setPanels shows the server's panels (watch streams).
  setPanels(p) {
    this.setData(p.data, p.dataError);
    this.stats.replaceChildren(...p.models.flatMap(m => [
      h('tr', {}, h('td', { text: m.name }), h('td', { text: m.status })),
      h('tr', {}, h('td', { text: 'fulfilment' }), h('td', { class: 'fulfilment', text: (100 * m.fulfilment).toFixed(1) + ' %' })),
      h('tr', {}, h('td', { text: 'vertices' }), h('td', { text: `${m.visitedVertices} / ${m.vertices}` })),
      h('tr', {}, h('td', { text: 'edges' }), h('td', { text: `${m.visitedEdges} / ${m.edges}` }))]));
    const reqs = p.models.flatMap(m => (m.requirements || []).map(([k, st]) => [k, st]));
    this.reqs.replaceChildren(...(reqs.length ? reqs.map(([k, st]) => h('tr', {}, h('td', { text: k }), h('td', { text: st })))
      : [h('tr', {}, h('td', { class: 'muted', text: 'none in the models' }))]));
  }

  // localPanels computes statistics and requirements from the counts,
  // with the fulfilment a visitedElement push reported.
  localPanels(fulfilment) {
    if (!this.scene) return;
    this.setPanels({
      data: this.lastData || [], models: this.scene.models.map((m, mi) => {
        const c = this.counts[mi], nv = m.vertices.length;
        const reqs = new Map();
        [...m.vertices, ...m.edges].forEach((e, el) => (e.requirements || []).forEach(r => {
          if (c[el] > 0) reqs.set(r, 'PASSED'); else if (!reqs.has(r)) reqs.set(r, 'NOT_COVERED');
        }));
        return {
          name: m.name, status: c.some(x => x > 0) ? 'EXECUTING' : 'NOT_EXECUTED', fulfilment: fulfilment[mi] || 0,
          vertices: nv, edges: m.edges.length, visitedVertices: c.slice(0, nv).filter(x => x > 0).length,
          visitedEdges: c.slice(nv).filter(x => x > 0).length, requirements: [...reqs],
        };
      }),
    });
  }
}

// ---- the console: the page's own client session ----
const TEMPLATES = {
  'GraphWalker 4': [
    ['start', () => ({ command: 'start', gw: run.gw ? JSON.parse(run.gw) : EXAMPLE })],
    ['hasNext', () => ({ command: 'hasNext' })],
    ['getNext', () => ({ command: 'getNext' })],
    ['getData', () => ({ command: 'getData' })],
    ['setData', () => ({ command: 'setData', action: 'x = 1;' })],
    ['getModel', () => ({ command: 'getModel' })],
    ['updateAllElements', () => ({ command: 'updateAllElements' })],
    ['restart', () => ({ command: 'restart' })],
    ['mode', () => ({ command: 'mode' })],
  ],
  'GraphWalker 3': [
    ['loadModel', () => ({ type: 'loadModel', model: LEGACY })],
    ['start', () => ({ type: 'start' })],
    ['hasNext', () => ({ type: 'hasNext' })],
    ['getNext', () => ({ type: 'getNext' })],
    ['getData', () => ({ type: 'getData' })],
    ['restart', () => ({ type: 'restart' })],
  ],
};
const REST_TEMPLATES = [
  ['load', () => 'POST /graphwalker/load\n' + (run.gw || JSON.stringify(EXAMPLE))],
  ['hasNext', () => 'GET /graphwalker/hasNext'],
  ['getNext', () => 'GET /graphwalker/getNext'],
  ['getData', () => 'GET /graphwalker/getData'],
  ['setData', () => 'PUT /graphwalker/setData/x=1;'],
  ['restart', () => 'PUT /graphwalker/restart'],
  ['getStatistics', () => 'GET /graphwalker/getStatistics'],
  ['fail', () => 'PUT /graphwalker/fail/a reason'],
];
const EXAMPLE = { models: [{ name: 'Hello', generator: 'random(edge_coverage(100))', startElementId: 'e0',
  vertices: [{ id: 'v0', name: 'v_Hello' }], edges: [{ id: 'e0', name: 'e_Start', targetVertexId: 'v0' }, { id: 'e1', name: 'e_Again', sourceVertexId: 'v0', targetVertexId: 'v0' }] }] };
const LEGACY = { name: 'M', generator: 'random(edge_coverage(100))', vertices: [{ id: 'n0', name: 'v_A' }],
  edges: [{ id: 'e0', name: 'e_Init', dstVertexId: 'n0', startElement: true }, { id: 'e1', name: 'e_Stay', srcVertexId: 'n0', dstVertexId: 'n0' }] };

const log = {
  add(kind, text) {
    let pretty = text;
    try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (_) { /* not JSON: as sent */ }
    const e = h('pre', { class: 'frame ' + kind, text: (kind === 'sent' ? '→ ' : '← ') + pretty });
    const f = $('#log-filter').value;
    if (f && !e.textContent.includes(f)) e.hidden = true;
    const box = $('#log');
    const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    box.append(e);
    while (box.children.length > 2000) box.firstChild.remove();
    if (atEnd) box.scrollTop = box.scrollHeight;
  },
  filter() {
    const f = $('#log-filter').value;
    for (const e of $('#log').children) e.hidden = !!f && !e.textContent.includes(f);
  },
};

// The WebSocket client: replies come in the order requests were sent.
const wsClient = {
  sock: null, waiting: [], issues: [],
  open() {
    return new Promise((resolve, reject) => {
      const sock = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/');
      sock.onopen = () => { this.sock = sock; setStatus('connected to the WebSocket service'); resolve(); };
      sock.onerror = () => reject(new Error('could not connect to the WebSocket service at ' + location.host));
      sock.onclose = () => {
        setStatus('the WebSocket connection closed; reload the page to reconnect');
        this.sock = null;
        for (const w of this.waiting.splice(0)) w.reject(new Error('the connection closed'));
      };
      sock.onmessage = ev => this.receive(ev.data);
    });
  },
  receive(text) {
    let msg = {};
    try { msg = JSON.parse(text); } catch (_) { /* logged as is */ }
    const cmd = msg.command || msg.type;
    const push = cmd === 'visitedElement' || cmd === 'issues';
    log.add(push ? 'push' : (msg.success === false ? 'recv fail' : 'recv'), text);
    if (cmd === 'visitedElement') run.visited(msg);
    if (cmd === 'issues') { this.issues.push(...(msg.issues || [])); return; }
    if (push) return;
    const w = this.waiting.shift();
    const issues = this.issues.splice(0);
    if (w) w.resolve(Object.assign(msg, issues.length ? { issues } : {}));
  },
  async send(obj) {
    if (!this.sock) await this.open();
    const text = typeof obj === 'string' ? obj : JSON.stringify(obj);
    const p = new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
    log.add('sent', text);
    this.sock.send(text);
    return p;
  },
};

// The REST client: "METHOD /path\nbody".
const restClient = {
  async send(text) {
    const [line, ...rest] = text.split('\n');
    const [method, ...p] = line.trim().split(/\s+/);
    const path = p.join(' ');
    if (!/^\/graphwalker\//.test(path)) throw new Error('a REST call is "METHOD /graphwalker/..." on the first line, the body after it');
    const body = rest.join('\n');
    log.add('sent', text);
    const r = await fetch(encodeURI(path), { method: method.toUpperCase(), body: body && method.toUpperCase() !== 'GET' ? body : undefined });
    const reply = await r.text();
    let j = {};
    try { j = JSON.parse(reply); } catch (_) { j = { result: 'nok', error: reply }; }
    log.add(j.result === 'nok' ? 'recv fail' : 'recv', reply);
    return j;
  },
};

function setStatus(t) { $('#status').textContent = t; }

// ---- the live run of the page's own session ----
const run = {
  gw: null, name: '', view: null, timer: null, busy: false, fulfilment: [], watch: null,

  async loadFile(file) {
    clearError();
    try {
      const body = await file.arrayBuffer();
      const a = await api('POST', '/studio/api/layout?name=' + encodeURIComponent(file.name), body);
      this.gw = JSON.stringify(a.gw);
      this.name = a.name;
      if (a.seed !== undefined && !$('#seed').value) $('#seed').value = a.seed;
      this.view.load(a.scene);
      $('#model-name').textContent = a.name + ': ' + a.scene.models.map(m => `${m.name} (${m.vertices.length} vertices, ${m.edges.length} edges)`).join(', ');
      await this.start();
    } catch (e) {
      showError(file.name + ': ' + e.message);
    }
  },

  seed() {
    const v = $('#seed').value.trim();
    if (v === '') return null;
    if (!/^-?\d+$/.test(v)) throw new Error('the seed must be a whole number');
    return v;
  },

  async start() {
    this.stop();
    const seed = this.seed();
    this.view.reset();
    this.fulfilment = [];
    this.view.lastData = [];
    if (info.service === 'rest') {
      const r = await restClient.send('POST /graphwalker/load' + (seed !== null ? '?seed=' + seed : '') + '\n' + this.gw);
      if (r.result !== 'ok') throw new Error(r.error || 'load failed');
      await this.watchOwn();
    } else {
      const msg = { command: 'start', gw: JSON.parse(this.gw) };
      if (seed !== null) msg.seed = Number(seed);
      const r = await wsClient.send(msg);
      if (!r.success) throw new Error((r.issues || []).concat(r.message || []).join('; ') || 'start failed');
      if (r.seed !== undefined) $('#run-state').textContent = 'seed ' + r.seed;
      const d = await wsClient.send({ command: 'getData' });
      if (d.success) { this.view.lastData = Object.entries(d.data || {}); this.view.localPanels([]); }
    }
    for (const b of ['#run-step', '#run-run', '#run-restart']) $(b).disabled = false;
  },

  // watchOwn follows the REST service's session: its steps light the view.
  async watchOwn() {
    const i = await api('GET', '/studio/api/info');
    if (!i.own) return;
    if (this.watch && this.watch.id === i.own) return;
    if (this.watch) this.watch.close();
    this.watch = new Watch(i.own, this.view, null);
  },

  // visited is a visitedElement push of the WebSocket service.
  visited(msg) {
    const r = this.view.find(msg.modelId, msg.elementId);
    if (!r) return;
    this.view.visit(r[0], r[1]);
    if (msg.data) this.view.lastData = Object.entries(msg.data);
    if (msg.stopConditionFulfillment !== undefined) this.fulfilment[r[0]] = msg.stopConditionFulfillment;
    this.view.localPanels(this.fulfilment);
  },

  // step takes one step; false when the walk is over or failed.
  async step() {
    if (this.busy) return true;
    this.busy = true;
    try {
      if (info.service === 'rest') {
        const hn = await restClient.send('GET /graphwalker/hasNext');
        if (hn.result !== 'ok') throw new Error(hn.error);
        if (hn.hasNext !== 'true') { $('#run-state').textContent = 'done: the stop condition is fulfilled'; return false; }
        const n = await restClient.send('GET /graphwalker/getNext');
        if (n.result !== 'ok') throw new Error(n.error);
      } else {
        const hn = await wsClient.send({ command: 'hasNext' });
        if (!hn.success) throw new Error((hn.issues || []).concat(hn.message || []).join('; '));
        if (!hn.hasNext) { $('#run-state').textContent = 'done: the stop condition is fulfilled'; return false; }
        const n = await wsClient.send({ command: 'getNext' });
        if (!n.success) throw new Error((n.issues || []).concat(n.message || []).join('; '));
      }
      return true;
    } catch (e) {
      showError('step: ' + e.message);
      return false;
    } finally {
      this.busy = false;
    }
  },

  go() {
    this.stop();
    $('#run-pause').disabled = false;
    $('#run-state').textContent = 'running';
    const tick = async () => {
      if (!await this.step()) { this.stop(); return; }
      if (this.timer !== null) this.timer = setTimeout(tick, 1000 / Number($('#speed').value));
    };
    this.timer = setTimeout(tick, 0);
  },

  stop() {
    if (this.timer !== null) { clearTimeout(this.timer); this.timer = null; }
    $('#run-pause').disabled = true;
    if ($('#run-state').textContent === 'running') $('#run-state').textContent = 'paused';
  },
};

// ---- watching a session (Server-Sent Events) ----
class Watch {
  constructor(id, view, ui) {
    this.id = id; this.view = view; this.ui = ui;
    const q = token ? '?token=' + encodeURIComponent(token) : '';
    this.es = new EventSource(`/studio/api/sessions/${id}/events${q}`);
    this.es.addEventListener('snapshot', ev => this.snapshot(JSON.parse(ev.data)));
    this.es.addEventListener('update', ev => this.update(JSON.parse(ev.data)));
    this.es.addEventListener('closed', ev => { this.state('ended: ' + JSON.parse(ev.data).reason); this.close(); });
    this.es.onerror = () => { if (this.es.readyState === EventSource.CLOSED) this.state('the watch stream closed'); };
  }
  close() { this.es.close(); }
  state(t) { if (this.ui) this.ui.state(t); }
  snapshot(sn) {
    if (sn.scene) {
      const scene = JSON.parse(JSON.stringify(sn.scene));
      if (!this.view.scene || JSON.stringify(this.view.scene.models.map(m => m.id + m.name)) !== JSON.stringify(scene.models.map(m => m.id + m.name))) this.view.load(scene);
      this.view.setVisits(sn.visits, sn.current, sn.steps);
    }
    if (sn.panels) this.view.setPanels(sn.panels);
    if (this.ui) this.ui.control(sn.control, sn.session, sn.error);
  }
  update(u) {
    if (this.view.scene) for (const [mi, el] of u.steps) this.view.visit(mi, el);
    if (u.panels) this.view.setPanels(u.panels);
    if (this.ui) {
      if (u.control) this.ui.control(u.control);
      if (u.breakpointErrors) this.ui.bpErrors(u.breakpointErrors);
      if (u.failed) this.ui.state('a step failed: ' + u.failed.join('; '));
    }
  }
}

// ---- the sessions page ----
const sessions = {
  timer: null, watch: null, id: null, bps: [], view: null,

  async refresh() {
    try {
      const rows = await api('GET', '/studio/api/sessions');
      $('#sessions tbody').replaceChildren(...rows.map(r => h('tr', { 'data-id': r.id },
        h('td', { text: r.id }), h('td', { text: r.service + (r.dialect ? ' (' + r.dialect + ')' : '') }), h('td', { text: r.client }),
        h('td', { text: (r.models || []).join(', ') }), h('td', { class: 'steps', text: r.steps }), h('td', { text: r.coverage + ' %' }),
        h('td', { text: r.waiting ? 'held: ' + r.reason : r.paused ? 'paused' : r.started ? 'running' : 'no model' }),
        h('td', {}, h('button', { class: 'watch', text: 'Watch', onclick: () => this.open(r.id) })))));
    } catch (e) {
      $('#control-off').hidden = false;
      $('#control-off').textContent = e.message;
    }
  },

  show(on) {
    clearInterval(this.timer);
    if (on) { this.refresh(); this.timer = setInterval(() => this.refresh(), 1000); }
  },

  open(id) {
    if (this.watch) this.watch.close();
    this.id = id;
    this.bps = [];
    this.renderBps();
    $('#bp-errors').textContent = '';
    $('#watch').hidden = false;
    $('#w-title').textContent = 'Session ' + id;
    this.watch = new Watch(id, this.view, this);
  },

  close() {
    if (this.watch) this.watch.close();
    this.watch = null;
    $('#watch').hidden = true;
  },

  state(t) { $('#w-state').textContent = t; },

  control(c, summary, error) {
    if (!c) return;
    this.state(error ? error : c.waiting ? 'held: ' + c.reason : c.paused ? 'paused: ' + c.reason : 'running');
    if (c.breakpoints) { this.bps = c.breakpoints; this.renderBps(); }
    if (c.breakpointErrors) this.bpErrors(Object.entries(c.breakpointErrors).map(([k, v]) => k + ': ' + v));
  },

  bpErrors(list) { $('#bp-errors').textContent = [...new Set(list)].join('\n'); },

  renderBps() {
    $('#bp-list').replaceChildren(...this.bps.map(b => h('li', { 'data-id': b.id },
      b.id + ': ' + [b.element, b.condition && 'if ' + b.condition].filter(Boolean).join(' '),
      h('button', { text: '×', title: 'Remove', onclick: () => this.setBps(this.bps.filter(x => x !== b)) }))));
  },

  async setBps(list) {
    try {
      const c = await api('PUT', `/studio/api/sessions/${this.id}/breakpoints`, JSON.stringify(list));
      $('#bp-errors').textContent = '';
      this.bps = c.breakpoints || [];
      this.renderBps();
      return true;
    } catch (e) {
      $('#bp-errors').textContent = e.message;
      return false;
    }
  },

  async act(what) {
    // The watch stream tells the new state: an answer could be older than it.
    try { await api('POST', `/studio/api/sessions/${this.id}/${what}`); } catch (e) { showError(e.message); }
  },
};

let info = { service: 'websocket' };

async function init() {
  run.view = new View($('#run-view'));
  sessions.view = new View($('#watch-view'));
  sessions.view.onpick = name => { $('#bp-element').value = name; $('#bp-element').focus(); }; // click an element to break on it
  try {
    info = await api('GET', '/studio/api/info');
  } catch (e) {
    showError('gw studio API: ' + e.message);
  }
  $('#console-kind').textContent = info.service === 'rest' ? '(REST service)' : '(WebSocket service)';
  setStatus(info.service === 'rest' ? 'REST service at ' + location.host + '/graphwalker' : 'WebSocket service at ws://' + location.host);
  if (!info.control) { $('#control-off').hidden = false; $('#control-off').textContent = info.reason; }

  const tpl = $('#templates');
  const put = v => { $('#message').value = typeof v === 'string' ? v : JSON.stringify(v, null, 1); };
  if (info.service === 'rest') {
    tpl.append(h('span', { class: 'dialect', text: 'REST' }), ...REST_TEMPLATES.map(([n, f]) => h('button', { text: n, onclick: () => put(f()) })));
  } else {
    for (const [d, list] of Object.entries(TEMPLATES)) {
      tpl.append(h('div', {}, h('span', { class: 'dialect', text: d }), ...list.map(([n, f]) => h('button', { text: n, 'data-dialect': d, onclick: () => put(f()) }))));
    }
  }
  $('#send').onclick = async () => {
    clearError();
    const text = $('#message').value.trim();
    if (!text) return;
    try {
      if (info.service === 'rest') await restClient.send(text); else await wsClient.send(text);
    } catch (e) { showError(e.message); }
  };
  $('#log-filter').oninput = () => log.filter();
  $('#log-clear').onclick = () => $('#log').replaceChildren();
  $('#error-close').onclick = clearError;

  $('#file').onchange = e => { if (e.target.files[0]) run.loadFile(e.target.files[0]); };
  document.addEventListener('dragover', e => e.preventDefault());
  document.addEventListener('drop', e => {
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (f) { selectPage('run'); run.loadFile(f); }
  });
  $('#run-step').onclick = () => { run.stop(); run.step(); };
  $('#run-run').onclick = () => run.go();
  $('#run-pause').onclick = () => run.stop();
  $('#run-restart').onclick = () => run.start().catch(e => showError('restart: ' + e.message));
  $('#speed').oninput = () => { $('#speed-text').textContent = $('#speed').value; };

  $('#w-pause').onclick = () => sessions.act('pause');
  $('#w-step').onclick = () => sessions.act('step');
  $('#w-resume').onclick = () => sessions.act('resume');
  $('#w-close').onclick = () => sessions.close();
  $('#bp-add').onclick = async () => {
    const b = { element: $('#bp-element').value.trim(), condition: $('#bp-condition').value.trim() };
    if (!b.element && !b.condition) { $('#bp-errors').textContent = 'give an element, a condition or both'; return; }
    const used = new Set(sessions.bps.map(x => x.id));
    let n = 1;
    while (used.has('b' + n)) n++;
    b.id = 'b' + n;
    if (await sessions.setBps([...sessions.bps, b])) { $('#bp-element').value = ''; $('#bp-condition').value = ''; }
  };

  for (const t of document.querySelectorAll('header .tab')) t.onclick = () => selectPage(t.dataset.page);
  if (info.service !== 'rest') wsClient.open().catch(e => showError(e.message));
  document.body.dataset.ready = 'true';
}

function selectPage(name) {
  for (const t of document.querySelectorAll('header .tab')) t.setAttribute('aria-selected', t.dataset.page === name);
  for (const p of document.querySelectorAll('.page')) p.hidden = p.id !== 'page-' + name;
  sessions.show(name === 'sessions');
}

init();
