// rectrace review page. Plain ES module, no build step. Every piece of data is
// shown with textContent (never innerHTML), and every URL is relative, so it
// carries the token path segment the server requires.

const ROLES = ['action', 'response', 'owner', 'update', 'status', 'date'];
const ui = {
  view: 'docs',
  state: null, // { manifest, overrides, by, overridesFile }
  docs: new Map(), // manifest index → document JSON
  models: new Map(), // manifest index → { blocks }
  doc: -1, // manifest index shown
  rec: 0, // recommendation index in that document
  gens: null, // { series: [...] }
  link: 0, // index into the flat list of links of the generations view
  adding: null, // { kind: 'pdf', page, bbox, text } | { kind: 'paragraphs', picked: [...] }
  renders: 0, // finished renders, on <body data-rendered> (tests wait on it)
};

function rendered(pane, id) {
  pane.dataset.ready = id ?? '';
  document.body.dataset.rendered = String(++ui.renders);
}

// ---------------------------------------------------------------------------
// small helpers

/** An element with attributes/properties and children; strings become text nodes. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

async function getJson(url) {
  const res = await fetch(url, { credentials: 'omit' });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function post(body) {
  const res = await fetch('api/decision', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(text);
  ui.state.overrides = JSON.parse(text).overrides;
  return ui.state.overrides;
}

function say(text, kind = 'ok') {
  const s = document.getElementById('status');
  s.textContent = text;
  s.dataset.kind = kind;
}

const short = (s, n = 90) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const fmt = (n) => (typeof n === 'number' ? n.toFixed(3).replace(/0+$/, '').replace(/\.$/, '') : String(n));

// ---------------------------------------------------------------------------
// start

async function start() {
  ui.state = await getJson('api/state');
  const ok = ui.state.manifest.documents.map((d, i) => ({ d, i })).filter((x) => x.d.status === 'ok' && x.d.output);
  ui.doc = ok.length ? ok[0].i : -1;
  for (const b of document.querySelectorAll('#bar nav button')) b.addEventListener('click', () => show(b.dataset.view));
  document.addEventListener('keydown', onKey);
  window.addEventListener('hashchange', () => show(location.hash === '#generations' ? 'gens' : 'docs'));
  await show(location.hash === '#generations' ? 'gens' : 'docs');
}

async function show(view) {
  ui.view = view;
  for (const b of document.querySelectorAll('#bar nav button')) b.setAttribute('aria-pressed', String(b.dataset.view === view));
  document.body.dataset.view = view;
  if (view === 'docs') await renderDocs();
  else await renderGens();
}

async function loadDoc(i) {
  if (!ui.docs.has(i)) ui.docs.set(i, await getJson(`file/${encodeURIComponent(ui.state.manifest.documents[i].output)}`));
  return ui.docs.get(i);
}

// ---------------------------------------------------------------------------
// documents view

function pendingFor(doc) {
  const seen = new Set((doc.corrections ?? []).map((c) => c.id));
  return (ui.state.overrides.corrections ?? []).filter((c) => c.document === doc.source.sha256 && !seen.has(c.id));
}

function concerns(rec, m) {
  const loc = m.loc;
  if (!loc) return false;
  return rec.prov.some((p) => {
    if (p.kind === 'pdf' && loc.page !== undefined) {
      if (p.page !== loc.page || !p.bbox || !loc.bbox) return false;
      const [a, b] = [p.bbox, loc.bbox];
      // The message's box overlaps the item's, and is not the whole table.
      return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3] && b[3] - b[1] < (a[3] - a[1]) * 3;
    }
    if (p.path && loc.path) return p.path.startsWith(loc.path) || loc.path.startsWith(p.path);
    if (p.line !== undefined && loc.line !== undefined) return loc.line >= p.line && loc.line <= (p.lineEnd ?? p.line);
    return false;
  });
}

async function renderDocs() {
  const main = document.getElementById('main');
  main.replaceChildren(h('p', {}, 'Loading…'));
  if (ui.doc < 0) {
    main.replaceChildren(h('p', {}, 'No document in this output folder was extracted.'));
    return;
  }
  const doc = await loadDoc(ui.doc);
  ui.rec = Math.max(0, Math.min(ui.rec, doc.recommendations.length - 1));
  const rec = doc.recommendations[ui.rec];

  const picker = h(
    'select',
    { id: 'doc-picker', 'aria-label': 'document', onchange: (e) => ((ui.doc = Number(e.target.value)), (ui.rec = 0), (ui.adding = null), renderDocs()) },
    ui.state.manifest.documents.map((d, i) =>
      h('option', { value: i, disabled: d.status !== 'ok', selected: i === ui.doc }, `${d.source.split(/[\\/]/).pop()}${d.status === 'ok' ? ` (${d.recommendations ?? 0})` : ` — failed: ${d.error?.code}`}`),
    ),
  );
  const pending = pendingFor(doc);
  const general = doc.messages.filter((m) => !doc.recommendations.some((r) => concerns(r, m)));
  const list = h(
    'ol',
    { id: 'rec-list' },
    doc.recommendations.map((r, k) => {
      const msgs = doc.messages.filter((m) => concerns(r, m)).length;
      const pend = pending.some((c) => targetsOf(c).includes(r.id));
      return h(
        'li',
        { class: k === ui.rec ? 'current' : '', dataset: { id: r.id }, onclick: () => ((ui.rec = k), renderDocs()) },
        h('span', { class: 'num' }, r.label || r.number),
        r.status ? h('span', { class: `pill s-${r.status.value}` }, r.status.value) : '',
        r.decidedBy === 'person' ? h('span', { class: 'mark person', title: 'decided by a person' }, '✓') : '',
        pend ? h('span', { class: 'mark pending', title: 'correction waiting for the next run' }, '✎') : '',
        msgs ? h('span', { class: 'mark msg', title: `${msgs} message(s)` }, `!${msgs}`) : '',
        h('span', { class: 'snip' }, short(r.text, 80)),
      );
    }),
  );
  const left = h(
    'section',
    { id: 'left' },
    picker,
    h('div', { class: 'meta' }, [doc.document.title, doc.document.date, doc.source.format.toUpperCase()].filter(Boolean).join(' · ')),
    list,
    // Corrections that no longer apply are open at once: a person's decision is waiting.
    general.length
      ? h('details', { class: 'doc-messages', open: general.some((m) => m.code.startsWith('correction/')) }, h('summary', {}, `${general.length} document message(s)`), h('ul', {}, general.map(messageItem)))
      : '',
  );
  const middle = h('section', { id: 'detail' }, rec ? recCard(doc, rec, pending) : h('p', {}, 'This document has no recommendations. Press a to add a missed one.'));
  const right = h('section', { id: 'source' });
  main.replaceChildren(left, middle, right);
  list.querySelector('.current')?.scrollIntoView({ block: 'nearest' });
  await renderSource(right, doc, rec);
  rendered(right, rec?.id);
}

function messageItem(m) {
  return h('li', { class: `msg ${m.severity}` }, h('code', {}, m.code), ' ', m.reason);
}

function targetsOf(c) {
  return c.action === 'merge' ? c.recommendations : c.action === 'add' ? (c.after ? [c.after] : []) : [c.recommendation];
}

function describe(c) {
  switch (c.action) {
    case 'edit':
      return `edit ${Object.entries(c.set)
        .map(([k, v]) => `${k}: ${typeof v === 'string' ? short(v, 60) : JSON.stringify(v)}`)
        .join('; ')}`;
    case 'split':
      return `split into ${c.parts.map((p) => p.number).join(', ')}`;
    case 'merge':
      return `merge ${c.recommendations.join(' + ')}`;
    case 'add':
      return `add ${c.number}: ${short(c.text, 60)}`;
    default:
      return c.action;
  }
}

function recCard(doc, rec, pending) {
  const msgs = doc.messages.filter((m) => concerns(rec, m));
  const mine = pending.filter((c) => targetsOf(c).includes(rec.id));
  const columns = Object.entries(rec.columns);
  return h(
    'article',
    { class: 'card', dataset: { id: rec.id } },
    h('header', {}, h('span', { class: 'big-num', id: 'rec-number' }, rec.label || rec.number), h('span', { class: 'canon' }, `number ${rec.number}${rec.parent ? ` under ${rec.parent}` : ''}`), rec.status ? h('span', { class: `pill s-${rec.status.value}` }, `${rec.status.value} (${rec.status.raw})`) : ''),
    rec.section ? h('div', { class: 'section' }, rec.section) : '',
    rec.title ? h('h3', { class: 'title', id: 'rec-title' }, rec.title) : '',
    h('p', { class: 'text', id: 'rec-text' }, rec.text),
    columns.length ? h('table', { class: 'columns' }, h('tbody', {}, columns.map(([role, v]) => h('tr', {}, h('th', {}, role), h('td', {}, v || '—'))))) : '',
    h('div', { class: 'prov' }, 'Printed at: ', rec.prov.map((p, k) => h('button', { class: 'place', onclick: () => focusPlace(k) }, placeName(p)))),
    rec.decidedBy === 'person' ? h('div', { class: 'decided' }, `decided by a person (${(rec.corrections ?? []).join(', ')})`) : '',
    msgs.length ? h('div', { class: 'messages' }, h('h3', {}, 'Messages'), h('ul', {}, msgs.map(messageItem))) : '',
    mine.length
      ? h('div', { class: 'pending' }, h('h3', {}, 'Waiting for the next run'), h('ul', {}, mine.map((c) => h('li', {}, `${describe(c)} — ${c.by}, ${c.at}`))))
      : '',
    h(
      'div',
      { class: 'actions' },
      button('c', 'confirm', confirmRec),
      button('e', 'edit', editRec),
      button('s', 'split', splitRec),
      button('m', 'merge with next', mergeRec),
      button('x', 'drop', dropRec),
      button('a', 'add missed', addRec),
    ),
  );
}

function button(key, label, fn) {
  return h('button', { class: 'action', dataset: { key }, onclick: fn }, h('kbd', {}, key), ` ${label}`);
}

function placeName(p) {
  if (p.kind === 'pdf') return `page ${p.page}`;
  if (p.kind === 'text') return `line ${p.line}${p.lineEnd && p.lineEnd !== p.line ? `–${p.lineEnd}` : ''}`;
  return p.path ?? `line ${p.line}`;
}

function focusPlace(k) {
  const el = document.querySelector(`[data-place="${k}"]`);
  if (el) el.scrollIntoView({ block: 'center', behavior: 'instant' });
}

// ---------------------------------------------------------------------------
// the source pane

let pdfjs = null;
async function loadPdfjs() {
  if (!pdfjs) {
    pdfjs = await import('./pdf.mjs');
    pdfjs.GlobalWorkerOptions.workerSrc = new URL('./pdf.worker.mjs', import.meta.url).href;
  }
  return pdfjs;
}
const pdfDocs = new Map();
async function pdfDoc(i) {
  if (!pdfDocs.has(i)) {
    const lib = await loadPdfjs();
    const base = new URL('./', import.meta.url).href;
    pdfDocs.set(
      i,
      lib.getDocument({
        url: new URL(`file/source/${i}`, document.baseURI).href,
        isEvalSupported: false,
        enableXfa: false,
        standardFontDataUrl: `${base}standard_fonts/`,
        cMapUrl: `${base}cmaps/`,
        cMapPacked: true,
        disableAutoFetch: true,
      }).promise,
    );
  }
  return pdfDocs.get(i);
}

async function renderSource(pane, doc, rec) {
  const docIndex = ui.doc;
  try {
    if (doc.source.format === 'pdf') await renderPdf(pane, doc, rec, docIndex);
    else await renderStructured(pane, doc, rec, docIndex);
  } catch (err) {
    // The source is missing or changed: say so where it would be shown.
    pdfDocs.delete(docIndex);
    pane.append(h('p', { class: 'warn source-error' }, `The source cannot be shown: ${err.message}`));
  }
}

async function renderPdf(pane, doc, rec, docIndex) {
  const places = rec ? rec.prov.map((p, k) => ({ ...p, k })).filter((p) => p.kind === 'pdf' && p.page) : [];
  const pages = [...new Set(places.map((p) => p.page))];
  if (ui.adding?.kind === 'pdf' && !pages.includes(ui.adding.page)) pages.push(ui.adding.page);
  if (pages.length === 0) pages.push(1);
  const pdf = await pdfDoc(docIndex);
  const width = Math.max(320, pane.clientWidth - 24);
  pane.replaceChildren(h('div', { class: 'pane-head' }, `${doc.source.filename} · ${pages.map((p) => `page ${p}`).join(', ')}`, h('span', { class: 'hint' }, ' · a: draw a box to add a missed recommendation')));
  for (const n of pages) {
    if (docIndex !== ui.doc) return; // the user moved on
    const page = await pdf.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const scale = width / base.width;
    const viewport = page.getViewport({ scale });
    const dpr = window.devicePixelRatio || 1;
    const canvas = h('canvas', { class: 'page', dataset: { page: n, scale } });
    canvas.width = Math.floor(viewport.width * dpr);
    canvas.height = Math.floor(viewport.height * dpr);
    canvas.style.width = `${viewport.width}px`;
    canvas.style.height = `${viewport.height}px`;
    const wrap = h('div', { class: 'page-wrap', dataset: { page: n } }, canvas);
    wrap.style.width = `${viewport.width}px`;
    wrap.style.height = `${viewport.height}px`;
    pane.append(h('div', { class: 'page-label' }, `page ${n}`), wrap);
    await page.render({ canvasContext: canvas.getContext('2d'), viewport, transform: dpr === 1 ? undefined : [dpr, 0, 0, dpr, 0, 0] }).promise;
    for (const p of places.filter((q) => q.page === n)) {
      wrap.append(boxDiv(viewport, p.bbox, 'hl', { place: p.k, bbox: p.bbox.join(',') }));
    }
    if (ui.adding?.kind === 'pdf' && ui.adding.page === n && ui.adding.bbox) wrap.append(boxDiv(viewport, ui.adding.bbox, 'drawn', {}));
    enableDrawing(wrap, page, viewport, n);
  }
  const first = pane.querySelector('.hl');
  if (first) first.scrollIntoView({ block: 'center', behavior: 'instant' });
}

/** A rectangle over the rendered page for a box in PDF user space (pdf.js maps rotation and the page box origin). */
function boxDiv(viewport, bbox, cls, data) {
  const [x1, y1, x2, y2] = viewport.convertToViewportRectangle(bbox);
  const div = h('div', { class: cls, dataset: data });
  Object.assign(div.style, { left: `${Math.min(x1, x2)}px`, top: `${Math.min(y1, y2)}px`, width: `${Math.abs(x2 - x1)}px`, height: `${Math.abs(y2 - y1)}px` });
  return div;
}

function enableDrawing(wrap, page, viewport, n) {
  let startPt = null;
  let ghost = null;
  const at = (e) => {
    const r = wrap.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  wrap.addEventListener('mousedown', (e) => {
    if (ui.adding?.kind !== 'pdf') return;
    e.preventDefault();
    startPt = at(e);
    ghost?.remove();
    ghost = h('div', { class: 'drawn' });
    wrap.append(ghost);
  });
  wrap.addEventListener('mousemove', (e) => {
    if (!startPt || !ghost) return;
    const [x, y] = at(e);
    Object.assign(ghost.style, { left: `${Math.min(x, startPt[0])}px`, top: `${Math.min(y, startPt[1])}px`, width: `${Math.abs(x - startPt[0])}px`, height: `${Math.abs(y - startPt[1])}px` });
  });
  wrap.addEventListener('mouseup', async (e) => {
    if (!startPt) return;
    const end = at(e);
    const [ax, ay] = viewport.convertToPdfPoint(...startPt);
    const [bx, by] = viewport.convertToPdfPoint(...end);
    startPt = null;
    const bbox = [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)].map((v) => Math.round(v * 100) / 100);
    if (bbox[2] - bbox[0] < 4 || bbox[3] - bbox[1] < 4) return;
    const text = await textInBox(page, bbox);
    ui.adding = { kind: 'pdf', page: n, bbox };
    addDialog({ text, prov: [{ kind: 'pdf', page: n, bbox }] });
  });
}

/** The page's text whose baseline start lies in the box, in reading order. */
async function textInBox(page, bbox) {
  const tc = await page.getTextContent();
  const lines = [];
  for (const it of tc.items) {
    if (!('str' in it) || !it.str.trim()) continue;
    const [x, y] = [it.transform[4], it.transform[5]];
    if (x >= bbox[0] - 1 && x <= bbox[2] && y >= bbox[1] - 1 && y <= bbox[3]) lines.push({ x, y, s: it.str });
  }
  lines.sort((a, b) => b.y - a.y || a.x - b.x);
  let out = '';
  let lastY = null;
  for (const l of lines) {
    out += lastY === null ? l.s : Math.abs(l.y - lastY) > 2 ? `\n${l.s}` : ` ${l.s}`;
    lastY = l.y;
  }
  return out.replace(/[ \t]+/g, ' ').trim();
}

/** Word, HTML and text: the item's cells in their table, or its paragraphs in their section. */
async function renderStructured(pane, doc, rec, docIndex) {
  pane.replaceChildren(h('div', { class: 'pane-head' }, doc.source.filename));
  const paths = rec ? rec.prov.map((p) => p.path).filter(Boolean) : [];
  const lines = rec ? rec.prov.filter((p) => p.line !== undefined) : [];
  const table = rec?.table ? doc.tables.find((t) => t.id === rec.table) : undefined;
  const hit = (prov) =>
    prov.some(
      (p) =>
        (p.path && paths.some((q) => p.path === q || p.path.startsWith(`${q}/`))) ||
        (p.line !== undefined && doc.source.format === 'text' && lines.some((q) => p.line >= q.line && p.line <= (q.lineEnd ?? q.line))),
    );
  if (table && ui.adding?.kind !== 'paragraphs') {
    if (table.section) pane.append(h('div', { class: 'section' }, table.section));
    let place = 0;
    const rows = table.rows.map((row) =>
      h(
        'tr',
        { class: `${row.kind}${hit(row.prov) ? ' hl-row' : ''}` },
        row.cells.map((c) => {
          const on = hit(c.prov) || hit(row.prov);
          return h(row.kind === 'header' ? 'th' : 'td', { colspan: c.colSpan > 1 ? c.colSpan : undefined, rowspan: c.rowSpan > 1 ? c.rowSpan : undefined, class: on ? 'hl-cell' : '', dataset: on ? { place: place++ } : {} }, c.text);
        }),
      ),
    );
    pane.append(h('table', { class: 'source-table' }, h('tbody', {}, rows)));
    pane.querySelector('.hl-cell')?.scrollIntoView({ block: 'center', behavior: 'instant' });
    return;
  }
  // Running text (or picking paragraphs to add): the document's blocks around it.
  if (!ui.models.has(docIndex)) ui.models.set(docIndex, await getJson(`api/model/${docIndex}`));
  const model = ui.models.get(docIndex);
  if (model.changed) pane.append(h('p', { class: 'warn' }, 'The source file changed since this output was written.'));
  const picking = ui.adding?.kind === 'paragraphs';
  if (picking) pane.append(h('div', { class: 'pick-bar' }, 'Click paragraphs to pick them, then ', h('button', { id: 'pick-done', onclick: () => addDialog(pickedDraft()) }, 'add from picked'), ' or Esc.'));
  let place = 0;
  const blocks = model.blocks.map((b, k) => {
    const text = b.type === 'paragraph' ? b.orig : b.rows.map((r) => r.cells.map((c) => c.orig).join(' | ')).join('\n');
    const on = !picking && hit(b.prov);
    const picked = picking && ui.adding.picked.includes(k);
    const el = h(b.headingLevel ? `h${Math.min(6, b.headingLevel + 2)}` : 'p', { class: `block${on ? ' hl-cell' : ''}${picked ? ' picked' : ''}`, dataset: { block: k, ...(on ? { place: place++ } : {}) } }, text);
    if (picking) el.addEventListener('click', () => togglePick(k));
    return el;
  });
  pane.append(h('div', { class: 'blocks' }, blocks));
  pane.querySelector('.hl-cell, .picked')?.scrollIntoView({ block: 'center', behavior: 'instant' });
}

function togglePick(k) {
  const picked = ui.adding.picked;
  const i = picked.indexOf(k);
  if (i < 0) picked.push(k);
  else picked.splice(i, 1);
  picked.sort((a, b) => a - b);
  renderDocs();
}

function pickedDraft() {
  const model = ui.models.get(ui.doc);
  const blocks = ui.adding.picked.map((k) => model.blocks[k]);
  return { text: blocks.map((b) => b.orig ?? '').join('\n\n'), prov: blocks.flatMap((b) => b.prov) };
}

// ---------------------------------------------------------------------------
// corrections (documents view)

function current() {
  const doc = ui.docs.get(ui.doc);
  return { doc, rec: doc?.recommendations[ui.rec] };
}

async function saveCorrection(correction, what) {
  try {
    await post({ kind: 'correction', documentIndex: ui.doc, correction });
    say(`saved to ${ui.state.overridesFile}: ${what} (applied by the next extract, link or run)`);
  } catch (err) {
    say(`not saved: ${err.message}`, 'error');
  }
}

async function confirmRec() {
  const { doc, rec } = current();
  if (!rec) return;
  const already = rec.decidedBy === 'person' || pendingFor(doc).some((c) => c.action === 'confirm' && c.recommendation === rec.id);
  if (already) return move(1);
  await saveCorrection({ action: 'confirm', recommendation: rec.id }, `confirmed ${rec.number}`);
  move(1);
}

function editRec() {
  const { rec } = current();
  if (!rec) return;
  const fields = [
    { name: 'number', label: 'number', value: rec.label || rec.number },
    { name: 'text', label: 'text', value: rec.text, area: true },
    ...ROLES.map((role) => ({ name: `col:${role}`, label: role, value: rec.columns[role] ?? '', area: role !== 'status' && role !== 'owner' && role !== 'date' })),
  ];
  dialog(`Edit ${rec.label || rec.number}`, fields, async (v) => {
    const set = {};
    const was = {};
    if (v.number !== (rec.label || rec.number)) Object.assign(set, { number: v.number, label: v.number }), Object.assign(was, { number: rec.number, label: rec.label });
    if (v.text !== rec.text) (set.text = v.text), (was.text = rec.text);
    const cols = {};
    const oldCols = {};
    for (const role of ROLES) {
      const value = v[`col:${role}`];
      if (value !== (rec.columns[role] ?? '')) (cols[role] = value), (oldCols[role] = rec.columns[role] ?? '');
    }
    if (Object.keys(cols).length) (set.columns = cols), (was.columns = oldCols);
    if (!Object.keys(set).length) return say('nothing changed');
    await saveCorrection({ action: 'edit', recommendation: rec.id, set, was }, `edited ${rec.number}`);
    await renderDocs();
  });
}

function splitRec() {
  const { rec } = current();
  if (!rec) return;
  // Proposed cut: the first paragraph break, else the sentence end nearest the middle, else a space.
  const mid = rec.text.length / 2;
  const ends = [...rec.text.matchAll(/[.;:] /g)].map((m) => m.index + 1);
  const spaces = [...rec.text.matchAll(/ /g)].map((m) => m.index);
  const nearest = (xs) => xs.reduce((best, x) => (best < 0 || Math.abs(x - mid) < Math.abs(best - mid) ? x : best), -1);
  const para = rec.text.indexOf('\n\n');
  const cut = para > 0 ? para : ends.length ? nearest(ends) : spaces.length ? nearest(spaces) : rec.text.length;
  dialog(
    `Split ${rec.label || rec.number} in two`,
    [
      { name: 'n1', label: 'first number', value: rec.number },
      { name: 't1', label: 'first text', value: rec.text.slice(0, cut).trim(), area: true },
      { name: 'n2', label: 'second number', value: `${rec.number}b` },
      { name: 't2', label: 'second text', value: rec.text.slice(cut).trim(), area: true },
    ],
    async (v) => {
      await saveCorrection({ action: 'split', recommendation: rec.id, parts: [{ number: v.n1, text: v.t1 }, { number: v.n2, text: v.t2 }] }, `split ${rec.number}`);
      await renderDocs();
    },
  );
}

function mergeRec() {
  const { doc, rec } = current();
  const next = doc?.recommendations[ui.rec + 1];
  if (!rec || !next) return say('no next item to merge with', 'error');
  dialog(`Merge ${rec.number} and ${next.number}?`, [{ name: 'text', label: 'merged text', value: `${rec.text}\n\n${next.text}`, area: true }], async (v) => {
    await saveCorrection({ action: 'merge', recommendations: [rec.id, next.id], text: v.text }, `merged ${rec.number} + ${next.number}`);
    await renderDocs();
  });
}

function dropRec() {
  const { rec } = current();
  if (!rec) return;
  dialog(`Drop ${rec.number}? It is not a recommendation.`, [{ name: 'note', label: 'why (optional)', value: '' }], async (v) => {
    await saveCorrection({ action: 'drop', recommendation: rec.id, ...(v.note ? { note: v.note } : {}) }, `dropped ${rec.number}`);
    await renderDocs();
  });
}

function addRec() {
  const { doc } = current();
  if (!doc) return;
  ui.adding = doc.source.format === 'pdf' ? { kind: 'pdf', page: current().rec?.prov.find((p) => p.page)?.page ?? 1 } : { kind: 'paragraphs', picked: [] };
  say(doc.source.format === 'pdf' ? 'Draw a box around the missed recommendation on the page (Esc to stop).' : 'Pick the paragraphs of the missed recommendation (Esc to stop).');
  renderDocs();
}

function addDialog(draft) {
  const { rec } = current();
  dialog('Add a missed recommendation', [
    { name: 'number', label: 'number', value: '' },
    { name: 'text', label: 'text', value: draft.text, area: true },
    { name: 'col:status', label: 'status', value: '' },
  ], async (v) => {
    if (!v.number.trim()) return say('a number is needed', 'error');
    const columns = v['col:status'] ? { status: v['col:status'] } : undefined;
    await saveCorrection({ action: 'add', number: v.number, text: v.text, prov: draft.prov, ...(columns ? { columns } : {}), ...(rec && draft.prov[0]?.kind !== 'pdf' ? { after: rec.id } : {}) }, `added ${v.number}`);
    ui.adding = null;
    await renderDocs();
  });
}

// ---------------------------------------------------------------------------
// the dialog (built from elements; values read back from them)

function dialog(title, fields, onSave) {
  const dlg = document.getElementById('dialog');
  const form = document.getElementById('dialog-form');
  const inputs = fields.map((f) => {
    const input = f.area ? h('textarea', { name: f.name, rows: Math.min(10, Math.max(3, Math.ceil((f.value.length || 1) / 70))) }) : h('input', { name: f.name, type: 'text' });
    input.value = f.value;
    return h('label', {}, h('span', {}, f.label), input);
  });
  const save = h('button', { type: 'button', id: 'dialog-save', class: 'primary' }, 'Save (Ctrl+Enter)');
  const cancel = h('button', { type: 'button', id: 'dialog-cancel' }, 'Cancel (Esc)');
  form.replaceChildren(h('h2', {}, title), ...inputs, h('div', { class: 'dialog-buttons' }, save, cancel));
  const finish = async (ok) => {
    if (!dlg.open) return;
    const values = Object.fromEntries(fields.map((f) => [f.name, form.elements.namedItem(f.name).value]));
    dlg.close();
    if (ok) await onSave(values);
  };
  save.onclick = () => finish(true);
  cancel.onclick = () => finish(false);
  form.onkeydown = (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      finish(true);
    }
  };
  dlg.showModal();
  form.querySelector('input, textarea')?.focus();
}

// ---------------------------------------------------------------------------
// generations view

function flatLinks() {
  const out = [];
  for (const s of ui.gens?.series ?? []) s.linkSets.forEach((ls, k) => ls.links.forEach((l) => out.push({ series: s, ls, k, l })));
  return out;
}

async function renderGens() {
  const main = document.getElementById('main');
  if (!ui.gens) {
    main.replaceChildren(h('p', {}, 'Linking generations…'));
    ui.gens = await getJson('api/generations');
  }
  const all = flatLinks();
  ui.link = Math.max(0, Math.min(ui.link, all.length - 1));
  const cur = all[ui.link];
  const docsById = new Map();
  for (const s of ui.gens.series) for (const d of s.documents) docsById.set(d.id, d);
  await Promise.all([...docsById.values()].filter((d) => d.index !== undefined).map((d) => loadDoc(d.index)));
  const recOf = (docId, number) => {
    const d = docsById.get(docId);
    return d?.index !== undefined ? ui.docs.get(d.index).recommendations.find((r) => r.number === number) : undefined;
  };

  const left = h('section', { id: 'left' });
  for (const s of ui.gens.series) {
    left.append(h('h2', {}, `Series ${s.id}`), s.why ? h('div', { class: 'meta' }, s.why) : '');
    left.append(h('ol', { class: 'gen-docs' }, s.documents.map((d) => h('li', {}, [d.date, d.title ?? d.filename].filter(Boolean).join(' · ')))));
    s.linkSets.forEach((ls, k) => {
      left.append(h('h3', {}, `${docsById.get(ls.from.document)?.date ?? ls.from.document} → ${docsById.get(ls.to.document)?.date ?? ls.to.document}`));
      left.append(
        h(
          'ol',
          { class: 'link-list' },
          ls.links.map((l) => {
            const idx = all.findIndex((x) => x.l === l);
            return h(
              'li',
              { class: idx === ui.link ? 'current' : '', dataset: { from: l.from.number, to: l.to.number }, onclick: () => ((ui.link = idx), renderGens()) },
              h('span', { class: 'num' }, `${l.from.number} → ${l.to.number}`),
              h('span', { class: `rel r-${l.relation}` }, l.relation),
              h('span', { class: `score${l.score < 0.2 ? ' low' : ''}` }, fmt(l.score)),
              l.evidence.decidedBy === 'person' ? h('span', { class: 'mark person', title: l.evidence.note ?? '' }, '✓ person') : '',
            );
          }),
        ),
      );
      left.append(
        h(
          'div',
          { class: 'unmatched' },
          h('div', {}, h('strong', {}, 'No successor: '), ls.unmatched.from.length ? ls.unmatched.from.join(', ') : '—'),
          h('div', {}, h('strong', {}, 'New: '), ls.unmatched.to.length ? ls.unmatched.to.join(', ') : '—'),
          h('button', { class: 'action', dataset: { key: 'n' }, onclick: () => addLink(ls) }, h('kbd', {}, 'n'), ' add a link'),
        ),
      );
    });
  }

  const middle = h('section', { id: 'detail' });
  if (cur) {
    const { l } = cur;
    const a = recOf(l.from.document, l.from.number);
    const b = recOf(l.to.document, l.to.number);
    const ev = l.evidence;
    const features = ['tfidf', 'context', 'semantic', 'dice', 'phrases', 'keyTerms', 'sameNumber', 'sameSection'].filter((k) => ev[k] !== undefined);
    middle.append(
      h(
        'article',
        { class: 'card link-card' },
        h('header', {}, h('span', { class: 'big-num' }, `${l.from.number} → ${l.to.number}`), h('span', { class: `rel r-${l.relation}` }, l.relation), h('span', { class: 'score' }, `score ${fmt(l.score)}`), h('span', {}, `decided by ${ev.decidedBy}`)),
        ev.note ? h('div', { class: 'note' }, ev.note) : '',
        h(
          'div',
          { class: 'pair' },
          h('div', {}, h('h3', {}, `older ${l.from.number}`, a?.status ? ` · ${a.status.value}` : ''), h('p', { class: 'text' }, a?.text ?? '(not found)'), a?.columns.response ? h('p', { class: 'col' }, h('strong', {}, 'response: '), a.columns.response) : ''),
          h('div', {}, h('h3', {}, `newer ${l.to.number}`, b?.status ? ` · ${b.status.value}` : ''), h('p', { class: 'text' }, b?.text ?? '(not found)'), b?.columns.update ? h('p', { class: 'col' }, h('strong', {}, 'update: '), b.columns.update) : ''),
        ),
        h('table', { class: 'columns evidence' }, h('tbody', {}, features.map((k) => h('tr', {}, h('th', {}, k), h('td', {}, fmt(ev[k])))))),
        h('div', { class: 'terms' }, h('strong', {}, 'shared terms: '), ev.sharedTerms.join(', ') || '—'),
        ev.alignedTerms?.length ? h('div', { class: 'terms' }, h('strong', {}, 'aligned terms: '), ev.alignedTerms.join(', ')) : '',
        h('div', { class: 'actions' }, button('c', 'confirm link', () => decideLink('confirm')), button('r', 'reject link', () => decideLink('reject'))),
      ),
    );
  } else middle.append(h('p', {}, 'No links.'));

  const right = h('section', { id: 'source', class: 'threads' }, h('h2', {}, 'Threads'));
  for (const s of ui.gens.series) {
    right.append(h('div', { class: 'meta' }, `one line per thread; generations ${s.documents.map((d) => d.date ?? d.filename).join(' → ')}`));
    right.append(
      h(
        'ol',
        { class: 'thread-list' },
        s.threads.map((t) =>
          h(
            'li',
            {},
            t.steps.map((st, k) =>
              h('span', { class: 'step', title: `${s.documents[st.generation]?.date ?? ''} ${st.text}` }, k ? h('span', { class: `arrow r-${st.relation}` }, ` ${st.relation}${st.score !== undefined ? ` ${fmt(st.score)}` : ''} → `) : '', h('span', { class: 'num' }, st.number), st.statusValue ? h('span', { class: `pill s-${st.statusValue}` }, st.statusValue) : ''),
            ),
          ),
        ),
      ),
    );
  }
  main.replaceChildren(left, middle, right);
  left.querySelector('.current')?.scrollIntoView({ block: 'nearest' });
  rendered(right, cur ? `${cur.l.from.number}>${cur.l.to.number}` : '');
}

async function decideLink(action, link) {
  const cur = link ?? flatLinks()[ui.link]?.l;
  if (!cur) return;
  try {
    await post({ kind: 'link', action, from: cur.from, to: cur.to });
    say(`saved to ${ui.state.overridesFile}: ${action} ${cur.from.number} → ${cur.to.number}`);
    ui.gens = null;
    await renderGens();
  } catch (err) {
    say(`not saved: ${err.message}`, 'error');
  }
}

function addLink(ls) {
  dialog(`Add a link ${ls.from.document.slice(0, 8)} → ${ls.to.document.slice(0, 8)}`, [
    { name: 'from', label: `older number (no successor: ${ls.unmatched.from.join(', ') || '—'})`, value: ls.unmatched.from[0] ?? '' },
    { name: 'to', label: `newer number (new: ${ls.unmatched.to.join(', ') || '—'})`, value: ls.unmatched.to[0] ?? '' },
  ], async (v) => {
    if (!v.from.trim() || !v.to.trim()) return say('both numbers are needed', 'error');
    await decideLink('add', { from: { document: ls.from.document, number: v.from.trim() }, to: { document: ls.to.document, number: v.to.trim() } });
  });
}

// ---------------------------------------------------------------------------
// keys

function move(step) {
  if (ui.view === 'docs') {
    const doc = ui.docs.get(ui.doc);
    if (!doc) return;
    ui.rec = Math.max(0, Math.min(doc.recommendations.length - 1, ui.rec + step));
    renderDocs();
  } else {
    ui.link = Math.max(0, Math.min(flatLinks().length - 1, ui.link + step));
    renderGens();
  }
}

function onKey(e) {
  if (document.getElementById('dialog').open) return;
  const t = e.target;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const docs = ui.view === 'docs';
  const keys = {
    j: () => move(1),
    ArrowDown: () => move(1),
    k: () => move(-1),
    ArrowUp: () => move(-1),
    g: () => show(docs ? 'gens' : 'docs'),
    c: () => (docs ? confirmRec() : decideLink('confirm')),
    r: () => (docs ? dropRec() : decideLink('reject')),
    e: () => docs && editRec(),
    s: () => docs && splitRec(),
    m: () => docs && mergeRec(),
    x: () => docs && dropRec(),
    a: () => docs && addRec(),
    n: () => {
      if (docs) return;
      const cur = flatLinks()[ui.link];
      if (cur) addLink(cur.ls);
    },
    '[': () => docs && nextDoc(-1),
    ']': () => docs && nextDoc(1),
    Escape: () => {
      if (ui.adding) {
        ui.adding = null;
        say('');
        renderDocs();
      }
    },
    '?': () => say(document.getElementById('keys').textContent + ' · [ ] previous/next document'),
  };
  const fn = keys[e.key];
  if (!fn) return;
  e.preventDefault();
  fn();
}

function nextDoc(step) {
  const ok = ui.state.manifest.documents.map((d, i) => ({ d, i })).filter((x) => x.d.status === 'ok' && x.d.output);
  const at = ok.findIndex((x) => x.i === ui.doc);
  const next = ok[Math.max(0, Math.min(ok.length - 1, at + step))];
  if (next && next.i !== ui.doc) {
    ui.doc = next.i;
    ui.rec = 0;
    ui.adding = null;
    renderDocs();
  }
}

start().catch((err) => say(`could not start: ${err.message}`, 'error'));
