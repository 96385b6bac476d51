// A small greyscale rasteriser for pages without a text layer, so OCR can read
// them without a canvas library: filled paths (text printed as glyph outlines),
// stroked lines and pictures (scans), painted in order onto a white page. Pure:
// plain paint records in, 8-bit grey pixels out. Clipping, shadings and
// patterns are ignored (they rarely carry text).

export type Matrix = [number, number, number, number, number, number];

export type Paint =
  /** Closed polygons in PDF user space (curves already flattened), filled with one grey. */
  | { kind: 'fill'; polygons: number[][]; evenOdd: boolean; grey: number }
  /** An image's pixels as 8-bit grey, row 0 at the top, placed by `ctm` (the unit square → user space). */
  | { kind: 'image'; ctm: Matrix; width: number; height: number; grey: Uint8Array; alpha?: Uint8Array };

export interface Raster {
  width: number;
  height: number;
  /** 8-bit grey, row-major, 0 = black */
  data: Uint8Array;
  /** pixels per point */
  scale: number;
  /** user space → pixel coordinates (the page as viewed: /Rotate applied, y down) */
  toPixel: Matrix;
}

/** The transform from user space to the pixels of the page as viewed (pdf.js's viewport, without offsets). */
export function viewMatrix(box: [number, number, number, number], rotate: number, scale: number): { m: Matrix; width: number; height: number } {
  const [x0, y0, x1, y1] = box;
  const s = scale;
  const r = (((rotate % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  const [w, h] = [x1 - x0, y1 - y0];
  switch (r) {
    case 90:
      return { m: [0, s, s, 0, -y0 * s, -x0 * s], width: Math.ceil(h * s), height: Math.ceil(w * s) };
    case 180:
      return { m: [-s, 0, 0, s, x1 * s, -y0 * s], width: Math.ceil(w * s), height: Math.ceil(h * s) };
    case 270:
      return { m: [0, -s, -s, 0, y1 * s, x1 * s], width: Math.ceil(h * s), height: Math.ceil(w * s) };
    default:
      return { m: [s, 0, 0, -s, -x0 * s, y1 * s], width: Math.ceil(w * s), height: Math.ceil(h * s) };
  }
}

export const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];
export const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
export function invert(m: Matrix): Matrix {
  const det = m[0] * m[3] - m[1] * m[2];
  if (!det) return [0, 0, 0, 0, 0, 0];
  const [a, b, c, d, e, f] = m;
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

/** Most pixels a page may have (about A3 at 300 dpi): bigger pages are drawn at a lower resolution. */
const MAX_PIXELS = 18_000_000;
/** Sub-scanlines per pixel row (vertical anti-aliasing); horizontal coverage is exact at span ends. */
const SUB = 4;

export function rasterise(paints: Paint[], box: [number, number, number, number], rotate: number, scale: number): Raster {
  const area = (box[2] - box[0]) * (box[3] - box[1]) * scale * scale;
  const s = area > MAX_PIXELS ? scale * Math.sqrt(MAX_PIXELS / area) : scale;
  const { m, width, height } = viewMatrix(box, rotate, s);
  const data = new Uint8Array(width * height).fill(255);
  const cover = new Float32Array(width + 2);
  for (const p of paints) {
    if (p.kind === 'fill') fillPolygons(data, width, height, cover, p.polygons.map((poly) => toDevice(poly, m)), p.evenOdd, p.grey);
    else drawImage(data, width, height, mul(m, p.ctm), p);
  }
  return { width, height, data, scale: s, toPixel: m };
}

function toDevice(poly: number[], m: Matrix): number[] {
  const out = new Array<number>(poly.length);
  for (let i = 0; i < poly.length; i += 2) {
    out[i] = m[0] * poly[i] + m[2] * poly[i + 1] + m[4];
    out[i + 1] = m[1] * poly[i] + m[3] * poly[i + 1] + m[5];
  }
  return out;
}

interface Edge {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  dir: number;
}

/** Scanline fill (non-zero or even-odd), anti-aliased by sub-scanlines, composited in `grey`. */
function fillPolygons(data: Uint8Array, width: number, height: number, cover: Float32Array, polys: number[][], evenOdd: boolean, grey: number): void {
  const edges: Edge[] = [];
  let minY = Infinity;
  let maxY = -Infinity;
  for (const poly of polys) {
    const n = poly.length / 2;
    if (n < 2) continue;
    for (let i = 0; i < n; i++) {
      const ax = poly[2 * i];
      const ay = poly[2 * i + 1];
      const bx = poly[2 * ((i + 1) % n)];
      const by = poly[2 * ((i + 1) % n) + 1];
      if (!Number.isFinite(ax + ay + bx + by) || ay === by) continue;
      edges.push(ay < by ? { x0: ax, y0: ay, x1: bx, y1: by, dir: 1 } : { x0: bx, y0: by, x1: ax, y1: ay, dir: -1 });
      minY = Math.min(minY, ay, by);
      maxY = Math.max(maxY, ay, by);
    }
  }
  if (!edges.length) return;
  const rowFrom = Math.max(0, Math.floor(minY));
  const rowTo = Math.min(height - 1, Math.ceil(maxY));
  if (rowFrom > rowTo) return;
  edges.sort((a, b) => a.y0 - b.y0);
  const xs: { x: number; dir: number }[] = [];
  let first = 0;
  for (let row = rowFrom; row <= rowTo; row++) {
    let touched = false;
    let lo = width;
    let hi = -1;
    while (first < edges.length && edges[first].y1 < row) first++; // edges sorted by y0 only: skip cheaply where we can
    for (let sub = 0; sub < SUB; sub++) {
      const y = row + (sub + 0.5) / SUB;
      xs.length = 0;
      for (let k = first; k < edges.length; k++) {
        const e = edges[k];
        if (e.y0 > y) break;
        if (e.y1 <= y) continue;
        xs.push({ x: e.x0 + ((y - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), dir: e.dir });
      }
      if (xs.length < 2) continue;
      xs.sort((a, b) => a.x - b.x);
      let wind = 0;
      for (let k = 0; k < xs.length - 1; k++) {
        wind = evenOdd ? wind ^ 1 : wind + xs[k].dir;
        if (wind === 0) continue;
        const a = Math.max(0, xs[k].x);
        const b = Math.min(width, xs[k + 1].x);
        if (b <= a) continue;
        touched = true;
        const ia = Math.floor(a);
        const ib = Math.floor(b);
        lo = Math.min(lo, ia);
        hi = Math.max(hi, Math.min(width - 1, ib));
        if (ia === ib) {
          cover[ia] += (b - a) / SUB;
        } else {
          cover[ia] += (ia + 1 - a) / SUB;
          for (let x = ia + 1; x < ib; x++) cover[x] += 1 / SUB;
          if (ib < width) cover[ib] += (b - ib) / SUB;
        }
      }
    }
    if (!touched) continue;
    const base = row * width;
    for (let x = lo; x <= hi; x++) {
      const c = Math.min(1, cover[x]);
      if (c > 0) data[base + x] = Math.round(data[base + x] * (1 - c) + grey * c);
      cover[x] = 0;
    }
  }
}

/**
 * One device pixel's edges in image pixels (a, b, either order) → [low edge,
 * high edge, first pixel, end pixel]: at least one pixel, and within 0..size.
 */
function sourceSpan(a: number, b: number, size: number): [number, number, number, number] {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  let first = Math.floor(lo);
  let end = Math.ceil(hi);
  if (end <= first) end = first + 1;
  if (end > size) [first, end] = [size - 1, size];
  return [lo, hi, first, end];
}

/** Paints an image: area-averaged when it is axis-aligned and shrinks, nearest pixel otherwise. */
function drawImage(data: Uint8Array, width: number, height: number, m: Matrix, img: { width: number; height: number; grey: Uint8Array; alpha?: Uint8Array }): void {
  const { width: iw, height: ih, grey, alpha } = img;
  if (iw <= 0 || ih <= 0 || grey.length < iw * ih || (alpha && alpha.length < iw * ih)) return;
  const put = (at: number, g: number, a: number): void => {
    data[at] = a >= 255 ? g : Math.round((data[at] * (255 - a) + g * a) / 255);
  };
  // Unit square corners in device space.
  const corners = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
  const X0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[0]))));
  const X1 = Math.min(width, Math.ceil(Math.max(...corners.map((c) => c[0]))));
  const Y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[1]))));
  const Y1 = Math.min(height, Math.ceil(Math.max(...corners.map((c) => c[1]))));
  if (X0 >= X1 || Y0 >= Y1) return;
  const inv = invert(m);
  // Image pixel (u, v), v from the top, is the unit square's (u / iw, 1 - v / ih).
  const axisAligned = Math.abs(m[1]) < 1e-9 && Math.abs(m[2]) < 1e-9;
  if (axisAligned && Math.abs(m[0]) > 0 && Math.abs(m[3]) > 0) {
    // Integral image for area averages.
    // Sums of alpha-weighted grey and of alpha.
    const sum = new Float64Array((iw + 1) * (ih + 1));
    const asum = alpha ? new Float64Array((iw + 1) * (ih + 1)) : undefined;
    for (let v = 0; v < ih; v++) {
      let rowSum = 0;
      let rowA = 0;
      for (let u = 0; u < iw; u++) {
        const a = alpha ? alpha[v * iw + u] : 255;
        rowSum += (grey[v * iw + u] * a) / 255;
        rowA += a;
        sum[(v + 1) * (iw + 1) + u + 1] = sum[v * (iw + 1) + u + 1] + rowSum;
        if (asum) asum[(v + 1) * (iw + 1) + u + 1] = asum[v * (iw + 1) + u + 1] + rowA;
      }
    }
    const rect = (t: Float64Array, u0: number, v0: number, u1: number, v1: number): number =>
      t[v1 * (iw + 1) + u1] - t[v0 * (iw + 1) + u1] - t[v1 * (iw + 1) + u0] + t[v0 * (iw + 1) + u0];
    const uOf = (X: number): number => Math.min(iw, Math.max(0, ((X - m[4]) / m[0]) * iw));
    const vOf = (Y: number): number => Math.min(ih, Math.max(0, (1 - (Y - m[5]) / m[3]) * ih));
    for (let Y = Y0; Y < Y1; Y++) {
      const [va, vb, v0, v1] = sourceSpan(vOf(Y), vOf(Y + 1), ih);
      for (let X = X0; X < X1; X++) {
        const [ua, ub, u0, u1] = sourceSpan(uOf(X), uOf(X + 1), iw);
        if (ub <= 0 || ua >= iw || vb <= 0 || va >= ih) continue;
        const n = (u1 - u0) * (v1 - v0);
        const a = asum ? rect(asum, u0, v0, u1, v1) / n : 255;
        if (a <= 0) continue;
        put(Y * width + X, Math.min(255, Math.round((rect(sum, u0, v0, u1, v1) / n) * (255 / a))), Math.round(a));
      }
    }
    return;
  }
  for (let Y = Y0; Y < Y1; Y++) {
    for (let X = X0; X < X1; X++) {
      const [ux, uy] = apply(inv, X + 0.5, Y + 0.5);
      if (ux < 0 || ux >= 1 || uy < 0 || uy >= 1) continue;
      const u = Math.min(iw - 1, Math.floor(ux * iw));
      const v = Math.min(ih - 1, Math.floor((1 - uy) * ih));
      put(Y * width + X, grey[v * iw + u], alpha ? alpha[v * iw + u] : 255);
    }
  }
}

/** Flattens a pdf.js path (moveTo 0, lineTo 1, curveTo 2, quadraticCurveTo 3, closePath 4) in user space into polygons. */
export function pathPolygons(data: ArrayLike<number>, ctm: Matrix): number[][] {
  const polys: number[][] = [];
  let cur: number[] = [];
  let [px, py] = [0, 0];
  let [sx, sy] = [0, 0];
  const push = (x: number, y: number) => {
    const [X, Y] = apply(ctm, x, y);
    cur.push(X, Y);
  };
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === 0) {
      if (cur.length >= 4) polys.push(cur);
      cur = [];
      [px, py] = [data[i], data[i + 1]];
      [sx, sy] = [px, py];
      push(px, py);
      i += 2;
    } else if (op === 1) {
      [px, py] = [data[i], data[i + 1]];
      push(px, py);
      i += 2;
    } else if (op === 2 || op === 3) {
      const cubic = op === 2;
      const pts = cubic ? [data[i], data[i + 1], data[i + 2], data[i + 3], data[i + 4], data[i + 5]] : [data[i], data[i + 1], data[i + 2], data[i + 3]];
      i += cubic ? 6 : 4;
      const [ex, ey] = [pts[pts.length - 2], pts[pts.length - 1]];
      // Enough pieces for a smooth edge at print sizes: by the control polygon's length in device units.
      const [A, B] = [apply(ctm, px, py), apply(ctm, ex, ey)];
      const n = Math.max(2, Math.min(32, Math.ceil(Math.hypot(B[0] - A[0], B[1] - A[1]) / 2)));
      for (let k = 1; k <= n; k++) {
        const t = k / n;
        const u = 1 - t;
        let x: number;
        let y: number;
        if (cubic) {
          x = u * u * u * px + 3 * u * u * t * pts[0] + 3 * u * t * t * pts[2] + t * t * t * ex;
          y = u * u * u * py + 3 * u * u * t * pts[1] + 3 * u * t * t * pts[3] + t * t * t * ey;
        } else {
          x = u * u * px + 2 * u * t * pts[0] + t * t * ex;
          y = u * u * py + 2 * u * t * pts[1] + t * t * ey;
        }
        push(x, y);
      }
      [px, py] = [ex, ey];
    } else if (op === 4) {
      [px, py] = [sx, sy];
      if (cur.length >= 4) polys.push(cur);
      cur = [];
      push(sx, sy);
    } else break;
  }
  if (cur.length >= 4) polys.push(cur);
  return polys;
}

/** A stroked path as quadrilaterals around each straight piece (joins and caps ignored). */
export function strokePolygons(polys: number[][], width: number): number[][] {
  const out: number[][] = [];
  const h = Math.max(width, 0.5) / 2;
  for (const p of polys) {
    for (let i = 2; i < p.length; i += 2) {
      const [ax, ay, bx, by] = [p[i - 2], p[i - 1], p[i], p[i + 1]];
      const len = Math.hypot(bx - ax, by - ay);
      if (!len) continue;
      const [nx, ny] = [(-(by - ay) / len) * h, ((bx - ax) / len) * h];
      out.push([ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny]);
    }
  }
  return out;
}
