// `rectrace review OUT_DIR`: a local review page for an output folder.
// Loopback only (127.0.0.1), a free port, a random token as the first path
// segment of every URL (so every request carries it, relative URLs included),
// a Host check against DNS rebinding, and a Content-Security-Policy that lets
// the page talk to this server only. Files are served by exact name from a
// list built from the manifest, never by joining a requested path.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Correction, DocRef, DocumentJson, Lineage, Manifest, Overrides, Relation, type LinkSet } from '../schema.js';
import { insideFolder, stableJson, writeFileAtomic } from '../emit/files.js';
import { sniffFormat } from '../ingest/sniff.js';
import { parseDocument } from '../parse/index.js';
import { linkDocuments, orderGenerations } from '../pipeline.js';

/** Without series.json or lineage.json: the same report in several formats (same date and title) counts once. */
function sameReportOnce(docs: DocumentJson[]): DocumentJson[] {
  const seen = new Set<string>();
  return docs.filter((d) => {
    const { date, title } = d.document;
    if (!date || !title) return true;
    const key = `${date}|${title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ReviewOptions {
  outDir: string;
  /** Where decisions are written; default OUT_DIR/overrides.json. */
  overridesFile?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Who decides; default the user name. */
  by?: string;
}

export interface ReviewServer {
  url: string;
  port: number;
  token: string;
  overridesFile: string;
  close(): Promise<void>;
  /** Resolves when the server has closed (Ctrl-C or close()). */
  closed: Promise<void>;
}

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
const here = path.dirname(fileURLToPath(import.meta.url));
/** The page's own files: src/review/assets, also when running from dist/review. */
const assetDir = [path.join(here, 'assets'), path.join(here, '../../src/review/assets')].find((d) => existsSync(path.join(d, 'app.js')))!;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
  '.pfb': 'application/octet-stream',
  '.ttf': 'font/ttf',
  '.bcmap': 'application/octet-stream',
};

/** Assets by URL name → file; a fixed list plus pdf.js's font and cmap folders as listed on disk. */
function assetFiles(): Map<string, string> {
  const m = new Map<string, string>([
    ['app.js', path.join(assetDir, 'app.js')],
    ['app.css', path.join(assetDir, 'app.css')],
    ['pdf.mjs', path.join(pdfjsRoot, 'build/pdf.mjs')],
    ['pdf.worker.mjs', path.join(pdfjsRoot, 'build/pdf.worker.mjs')],
  ]);
  for (const dir of ['standard_fonts', 'cmaps']) {
    const full = path.join(pdfjsRoot, dir);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full)) if (/^[A-Za-z0-9._-]+$/.test(name)) m.set(`${dir}/${name}`, path.join(full, name));
  }
  return m;
}

/** What the page may post: a link decision or a correction (id, who, when and the document's hash are filled in here). */
const LinkDecisionPost = z
  .object({ kind: z.literal('link'), action: z.enum(['confirm', 'reject', 'add']), from: DocRef, to: DocRef, relation: Relation.optional(), note: z.string().optional() })
  .strict();
const CorrectionPost = z.object({ kind: z.literal('correction'), documentIndex: z.number().int().nonnegative(), correction: z.record(z.string(), z.unknown()) }).strict();
const Post = z.discriminatedUnion('kind', [LinkDecisionPost, CorrectionPost]);

export async function startReview(options: ReviewOptions): Promise<ReviewServer> {
  const outDir = path.resolve(options.outDir);
  const overridesFile = path.resolve(options.overridesFile ?? path.join(outDir, 'overrides.json'));
  const by = options.by ?? safeUser();
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const assets = assetFiles();
  // Any problem with the manifest is the user's to see at start, not a broken page.
  const readManifest = async () => Manifest.parse(JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')));
  let manifest = await readManifest();

  // A broken overrides file is said now, not as a failing page later.
  await readOverridesFile(overridesFile);
  let port = 0;
  // Writes to the overrides file are serialised: read, change, write atomically.
  let writing: Promise<unknown> = Promise.resolve();

  /** The files the page may read, by name: the manifest, its outputs, the run files, and each source by index. */
  const files = (): Map<string, string> => {
    const m = new Map<string, string>([['manifest.json', path.join(outDir, 'manifest.json')]]);
    manifest.documents.forEach((d, i) => {
      if (d.output) m.set(d.output, insideFolder(outDir, d.output));
      if (d.status === 'ok') m.set(`source/${i}`, path.resolve(d.source));
    });
    for (const name of ['lineage.json', 'series.json']) if (existsSync(path.join(outDir, name))) m.set(name, path.join(outDir, name));
    return m;
  };

  const readOverrides = () => readOverridesFile(overridesFile);

  const readDoc = async (i: number): Promise<DocumentJson> => {
    const entry = manifest.documents[i];
    if (!entry?.output) throw new HttpError(404, 'no such document');
    return DocumentJson.parse(JSON.parse(await readFile(insideFolder(outDir, entry.output), 'utf8')));
  };

  const handlers = {
    async state() {
      return { manifest, overrides: await readOverrides(), by, overridesFile: path.basename(overridesFile) };
    },
    /** Paragraphs and tables of a Word, HTML or text source, to show an item in its section and to pick missed paragraphs. */
    async model(i: number) {
      const entry = manifest.documents[i];
      if (!entry || entry.status !== 'ok') throw new HttpError(404, 'no such document');
      const bytes = new Uint8Array(
        await readFile(path.resolve(entry.source)).catch(() => {
          throw new HttpError(404, `${entry.source} is not found from ${process.cwd()}`);
        }),
      );
      if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) return { changed: true, blocks: [] };
      const format = sniffFormat(bytes);
      if (format === 'pdf') return { changed: false, blocks: [] };
      const model = await parseDocument(format, bytes);
      return { changed: false, blocks: model.value.blocks };
    },
    /** Series (series.json when `run` wrote one, else the generations of lineage.json), each with its links and threads. */
    async generations() {
      const overrides = await readOverrides();
      const docs: DocumentJson[] = [];
      const indexOf = new Map<string, number>();
      for (let i = 0; i < manifest.documents.length; i++) {
        if (manifest.documents[i].status !== 'ok') continue;
        const doc = await readDoc(i);
        docs.push(doc);
        indexOf.set(doc.source.id, i);
      }
      const byId = new Map(docs.map((d) => [d.source.id, d] as const));
      const find = (ref: string) => docs.find((d) => d.source.id === ref || d.source.sha256 === ref || d.source.path === ref || d.source.filename === ref);
      const groups: Array<{ id: string; why?: string; docs: DocumentJson[] }> = [];
      const series = await readJsonIfAny(path.join(outDir, 'series.json'));
      if (series && Array.isArray((series as { series?: unknown }).series)) {
        for (const [k, s] of ((series as { series: unknown[] }).series as Array<Record<string, unknown>>).entries()) {
          const refs = Array.isArray(s.documents) ? s.documents : [];
          const members = refs
            .map((r) => (typeof r === 'string' ? r : ((r as Record<string, unknown>)?.document ?? (r as Record<string, unknown>)?.id ?? (r as Record<string, unknown>)?.path)))
            .map((r) => (typeof r === 'string' ? find(r) : undefined))
            .filter((d): d is DocumentJson => d !== undefined);
          groups.push({ id: typeof s.id === 'string' ? s.id : `series-${k + 1}`, why: typeof s.why === 'string' ? s.why : undefined, docs: members });
        }
      } else {
        const lineage = Lineage.safeParse(await readJsonIfAny(path.join(outDir, 'lineage.json')));
        const ordered = lineage.success
          ? lineage.data.generations.map((g) => byId.get(g.document)).filter((d): d is DocumentJson => d !== undefined)
          : orderGenerations(sameReportOnce(docs.filter((d) => d.recommendations.length > 0)));
        groups.push({ id: 'lineage', why: lineage.success ? 'the generations of lineage.json' : 'documents ordered by date', docs: ordered });
      }
      const { buildLineage } = await import('../match/index.js');
      const out = [];
      for (const g of groups) {
        const linkSets: LinkSet[] = [];
        for (let i = 0; i + 1 < g.docs.length; i++) linkSets.push(await linkDocuments(g.docs[i], g.docs[i + 1], { overrides }));
        out.push({
          id: g.id,
          why: g.why,
          documents: g.docs.map((d) => ({ index: indexOf.get(d.source.id), id: d.source.id, filename: d.source.filename, title: d.document.title, date: d.document.date })),
          linkSets,
          threads: buildLineage(g.docs, linkSets).threads,
        });
      }
      return { series: out };
    },
    async post(body: unknown) {
      const parsed = Post.safeParse(body);
      if (!parsed.success) throw new HttpError(400, `${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
      const post = parsed.data;
      const at = new Date().toISOString();
      const job = writing.then(async () => {
        const overrides = await readOverrides();
        if (post.kind === 'link') {
          const { kind: _kind, ...d } = post;
          const same = (x: Overrides['decisions'][number]) =>
            x.from.document === d.from.document && x.from.number === d.from.number && x.to.document === d.to.document && x.to.number === d.to.number;
          // The latest decision on a pair replaces earlier ones; who and when go in the note.
          overrides.decisions = [...overrides.decisions.filter((x) => !same(x)), { ...d, note: [d.note, `${by}, ${at}`].filter(Boolean).join('; ') }];
        } else {
          const entry = manifest.documents[post.documentIndex];
          if (!entry?.sha256 || entry.status !== 'ok') throw new HttpError(400, 'no such document');
          const draft = { ...post.correction, document: entry.sha256, source: entry.source, by, at };
          const taken = new Set((overrides.corrections ?? []).map((c) => c.id));
          let id = '';
          do id = `c-${createHash('sha256').update(JSON.stringify(draft)).update(randomBytes(8)).digest('hex').slice(0, 12)}`;
          while (taken.has(id));
          const checked = Correction.safeParse({ ...draft, id });
          if (!checked.success) throw new HttpError(400, `${checked.error.issues[0].path.join('.')}: ${checked.error.issues[0].message}`);
          overrides.corrections = [...(overrides.corrections ?? []), checked.data];
        }
        const valid = Overrides.parse(overrides);
        await writeFileAtomic(overridesFile, stableJson(valid));
        return valid;
      });
      writing = job.catch(() => undefined);
      return { overrides: await job };
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      send(res, status, 'text/plain; charset=utf-8', status === 500 ? 'internal error' : (err as Error).message);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: only our own address names this server.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) throw new HttpError(403, 'forbidden');
    const raw = req.url ?? '/';
    const pathPart = raw.split('?')[0];
    const [, first = '', ...restSegs] = pathPart.split('/');
    const given = Buffer.from(first);
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) throw new HttpError(403, 'forbidden');
    // A run that finished while the page is open is seen on the next request; a half-read manifest keeps the last one.
    manifest = await readManifest().catch(() => manifest);
    let route: string;
    try {
      route = restSegs.map((s) => decodeURIComponent(s)).join('/');
    } catch {
      throw new HttpError(400, 'bad path');
    }
    if (req.method === 'POST') {
      if (route !== 'api/decision') throw new HttpError(404, 'not found');
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${host}`) throw new HttpError(403, 'forbidden');
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'JSON only');
      const body = await readBody(req, 1 << 20);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new HttpError(400, 'bad JSON');
      }
      return sendJson(res, await handlers.post(json));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed');
    if (route === '') return send(res, 200, TYPES['.html'], indexHtml());
    if (route === 'api/state') return sendJson(res, await handlers.state());
    if (route === 'api/generations') return sendJson(res, await handlers.generations());
    const model = /^api\/model\/(\d{1,6})$/.exec(route);
    if (model) return sendJson(res, await handlers.model(Number(model[1])));
    if (route.startsWith('assets/')) {
      const file = assets.get(route.slice('assets/'.length));
      if (!file) throw new HttpError(404, 'not found');
      return send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', await readFile(file));
    }
    if (route.startsWith('file/')) {
      const file = files().get(route.slice('file/'.length));
      if (!file) throw new HttpError(404, 'not in the manifest');
      if (route.startsWith('file/source/')) {
        // A source that moved or changed since the run would put the boxes in the wrong places.
        const entry = manifest.documents[Number(route.slice('file/source/'.length))];
        const bytes = await readFile(file).catch(() => {
          throw new HttpError(404, `${entry.source} is not found from ${process.cwd()}: start review in the folder the run started in`);
        });
        if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) throw new HttpError(409, `${entry.source} changed since the run`);
        return send(res, 200, 'application/octet-stream', bytes);
      }
      return send(res, 200, TYPES['.json'], await readFile(file));
    }
    throw new HttpError(404, 'not found');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}/${token}/`, port, token, overridesFile, close, closed };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readOverridesFile(file: string): Promise<Overrides> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { decisions: [] };
    throw err;
  }
  const parsed = Overrides.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

function safeUser(): string {
  try {
    return userInfo().username || 'reviewer';
  } catch {
    return 'reviewer';
  }
}

async function readJsonIfAny(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, 'too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, TYPES['.json'], JSON.stringify(value));
}

/** The page: static, no data in it (data comes as JSON and is shown with textContent). */
function indexHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>rectrace review</title>
<link rel="stylesheet" href="assets/app.css">
<script type="module" src="assets/app.js"></script>
</head>
<body>
<header id="bar">
  <strong>rectrace review</strong>
  <nav><button id="tab-docs" data-view="docs">Documents</button><button id="tab-gens" data-view="gens">Generations</button></nav>
  <span id="status" role="status"></span>
  <span id="keys">j/k next/prev · c confirm · r reject · e edit · s split · m merge · x drop · a add · g switch view · ? help</span>
</header>
<main id="main"></main>
<dialog id="dialog"><form method="dialog" id="dialog-form"></form></dialog>
</body>
</html>
`;
}
