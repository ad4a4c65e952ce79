/**
 * COCO bbox evaluation, as pycocotools' COCOeval (iouType "bbox", default parameters) computes it, so mAP and
 * AP50 agree with it to 1e-6 (docs/design.md §5). Ported step by step from evaluateImg and accumulate, including
 * the behaviours that matter on model outputs: NaN scores sort last, NaN IoUs match (C's fmin/fmax skip
 * NaN), ground truth with area outside [0, 1e10] is an ignore region, and an unmatched detection with area
 * outside that range is ignored rather than counted as a false positive.
 */

export type XYWH = [number, number, number, number];

export interface CocoGt {
  imageId: number;
  categoryId: number;
  bbox: XYWH;
}

export interface CocoDet extends CocoGt {
  score: number;
}

export interface CategoryAp {
  /** AP averaged over IoU 0.50:0.95, or -1 when the category has no (non-ignored) ground truth. */
  ap: number;
  /** AP at IoU 0.50, or -1 as above. */
  ap50: number;
}

export interface CocoResult {
  /** Mean of per-category AP over the categories that have ground truth; -1 when none has (as COCOeval). */
  map: number;
  ap50: number;
  perCategory: Map<number, CategoryAp>;
}

/** numpy.linspace(0.5, 0.95, 10): i·step + start, the last point set to stop exactly. */
export const IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => (i === 9 ? 0.95 : i * ((0.95 - 0.5) / 9) + 0.5));
/** numpy.linspace(0, 1, 101). */
export const RECALL_THRESHOLDS: readonly number[] = Array.from({ length: 101 }, (_, i) => (i === 100 ? 1 : i * (1 / 100)));

const MAX_DETS = 100;
const AREA_MIN = 0;
const AREA_MAX = 1e10;
const EPS = 2.220446049250313e-16; // np.spacing(1)

/** C fmin/fmax: when one argument is NaN the other is returned. */
const fmin = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b));
const fmax = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));

/** maskUtils bbIou for one pair (no crowd). */
export function bbIou(d: XYWH, g: XYWH): number {
  const w = fmin(d[2] + d[0], g[2] + g[0]) - fmax(d[0], g[0]);
  if (w <= 0) return 0;
  const h = fmin(d[3] + d[1], g[3] + g[1]) - fmax(d[1], g[1]);
  if (h <= 0) return 0;
  const i = w * h;
  const u = d[2] * d[3] + g[2] * g[3] - i;
  return i / u;
}

/** np.argsort(-scores, kind='mergesort'): stable, descending, NaN last. */
export function argsortDescending(scores: readonly number[]): number[] {
  const idx = scores.map((_, i) => i);
  return idx.sort((a, b) => {
    const sa = scores[a];
    const sb = scores[b];
    const na = Number.isNaN(sa);
    const nb = Number.isNaN(sb);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return sb > sa ? 1 : sb < sa ? -1 : a - b;
  });
}

interface ImageEval {
  dtScores: number[];
  /** [t][d]: matched (a GT id > 0) or 0. */
  dtMatched: boolean[][];
  dtIgnore: boolean[][];
  gtIgnore: boolean[];
}

function evaluateImg(gts: CocoGt[], dts: CocoDet[]): ImageEval | null {
  if (gts.length === 0 && dts.length === 0) return null;
  const area = (b: XYWH) => b[2] * b[3];
  const gtIgnoreRaw = gts.map((g) => area(g.bbox) < AREA_MIN || area(g.bbox) > AREA_MAX);
  // Stable sort: non-ignored GT first.
  const gtOrder = gts.map((_, i) => i).sort((a, b) => Number(gtIgnoreRaw[a]) - Number(gtIgnoreRaw[b]) || a - b);
  const gt = gtOrder.map((i) => gts[i]);
  const gtIg = gtOrder.map((i) => gtIgnoreRaw[i]);
  const dt = argsortDescending(dts.map((d) => d.score))
    .slice(0, MAX_DETS)
    .map((i) => dts[i]);
  const ious = dt.map((d) => gt.map((g) => bbIou(d.bbox, g.bbox)));
  const T = IOU_THRESHOLDS.length;
  const dtMatched = Array.from({ length: T }, () => new Array<boolean>(dt.length).fill(false));
  const dtIgnore = Array.from({ length: T }, () => new Array<boolean>(dt.length).fill(false));
  if (gt.length > 0 && dt.length > 0) {
    IOU_THRESHOLDS.forEach((t, tind) => {
      const gtMatched = new Array<boolean>(gt.length).fill(false);
      dt.forEach((_, dind) => {
        let iou = Math.min(t, 1 - 1e-10);
        let m = -1;
        for (let gind = 0; gind < gt.length; gind++) {
          if (gtMatched[gind]) continue;
          if (m > -1 && !gtIg[m] && gtIg[gind]) break;
          if (ious[dind][gind] < iou) continue;
          iou = ious[dind][gind];
          m = gind;
        }
        if (m === -1) return;
        dtIgnore[tind][dind] = gtIg[m];
        dtMatched[tind][dind] = true;
        gtMatched[m] = true;
      });
    });
  }
  dt.forEach((d, dind) => {
    const a = area(d.bbox);
    const outside = a < AREA_MIN || a > AREA_MAX;
    for (let t = 0; t < T; t++) if (!dtMatched[t][dind] && outside) dtIgnore[t][dind] = true;
  });
  return { dtScores: dt.map((d) => d.score), dtMatched, dtIgnore, gtIgnore: gtIg };
}

/** Precision at the 101 recall thresholds for one category and threshold index, or null without GT. */
function precisionCurve(evals: ImageEval[], tind: number, order: number[], npig: number): number[] {
  const matched = evals.flatMap((e) => e.dtMatched[tind]);
  const ignored = evals.flatMap((e) => e.dtIgnore[tind]);
  const nd = order.length;
  const rc = new Array<number>(nd);
  const pr = new Array<number>(nd);
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < nd; i++) {
    const j = order[i];
    if (!ignored[j]) {
      if (matched[j]) tp++;
      else fp++;
    }
    rc[i] = tp / npig;
    pr[i] = tp / (fp + tp + EPS);
  }
  for (let i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
  const q = new Array<number>(RECALL_THRESHOLDS.length).fill(0);
  let pi = 0;
  for (let ri = 0; ri < RECALL_THRESHOLDS.length; ri++) {
    while (pi < nd && rc[pi] < RECALL_THRESHOLDS[ri]) pi++; // searchsorted(rc, thr, side='left')
    if (pi >= nd) break;
    q[ri] = pr[pi];
  }
  return q;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Evaluate detections against ground truth. `imageIds` and `categoryIds` are the GT dataset's images and
 * categories; detections on other images or categories are not evaluated (COCOeval's p.imgIds / p.catIds).
 */
export function cocoEvaluate(imageIds: number[], categoryIds: number[], gts: CocoGt[], dets: CocoDet[]): CocoResult {
  const imgs = [...new Set(imageIds)].sort((a, b) => a - b);
  const cats = [...new Set(categoryIds)].sort((a, b) => a - b);
  const key = (img: number, cat: number) => `${img}:${cat}`;
  const gtBy = groupBy(gts, (g) => key(g.imageId, g.categoryId));
  const dtBy = groupBy(dets, (d) => key(d.imageId, d.categoryId));

  const perCategory = new Map<number, CategoryAp>();
  const validAp: number[] = [];
  const validAp50: number[] = [];
  for (const cat of cats) {
    const evals: ImageEval[] = [];
    for (const img of imgs) {
      const e = evaluateImg(gtBy.get(key(img, cat)) ?? [], dtBy.get(key(img, cat)) ?? []);
      if (e) evals.push(e);
    }
    const npig = evals.reduce((n, e) => n + e.gtIgnore.filter((ig) => !ig).length, 0);
    if (evals.length === 0 || npig === 0) {
      perCategory.set(cat, { ap: -1, ap50: -1 });
      continue;
    }
    const order = argsortDescending(evals.flatMap((e) => e.dtScores));
    const curves = IOU_THRESHOLDS.map((_, t) => precisionCurve(evals, t, order, npig));
    const ap = mean(curves.map(mean));
    const ap50 = mean(curves[0]);
    perCategory.set(cat, { ap, ap50 });
    validAp.push(ap);
    validAp50.push(ap50);
  }
  return {
    map: validAp.length ? mean(validAp) : -1,
    ap50: validAp50.length ? mean(validAp50) : -1,
    perCategory,
  };
}
