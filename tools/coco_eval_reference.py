"""Differential-test oracle for detection metrics: pycocotools' COCOeval (bbox, default parameters) transcribed
with numpy, fed through the paper's completion→detection conversion (DESIGN.md §5). pycocotools itself cannot be
installed here (no PyPI); this keeps its code paths (mergesort argsorts, fmin/fmax IoU, ignore flags, searchsorted)
under real numpy semantics. Used by src/core/scoring/scoring.diff.test.ts.

stdin: one dataset per line, {"samples": [...], "predictions": [...]} (the scorer's JSONL records)
stdout: one line per dataset, {"map": .., "ap50": .., "per_category": {name: {"ap": .., "ap50": ..}}}
"""
import json
import math
import re
import sys

import numpy as np

from reference_rewards import extract_bbox  # the same extract_bbox as the reward code


def to_pixels(text, width, height, require_score):
    text = text.replace("[[", "[").replace("]]", "]").replace("\n", "").replace(", ...", "")
    m = re.search(r'<answer>(.*?)</answer>', text)
    answer = m.group(1).strip() if m else text.strip()
    boxes = extract_bbox('<answer>' + answer + '</answer>')
    if boxes is None or len(boxes) == 0 or isinstance(boxes[0], str):
        return []
    seen, unique = set(), []
    for b in boxes:
        try:
            t = tuple(b['Position'])
            if t in seen:
                continue
            seen.add(t)
        except Exception:
            break
        unique.append(b)
    out = []
    for b in unique:
        try:
            pos = b['Position']
            if not isinstance(pos, list) or len(pos) != 4 or not all(isinstance(v, (int, float)) for v in pos):
                break
            if require_score and not isinstance(b.get('Confidence'), (int, float)):
                break
            x1, y1, x2, y2 = pos
            x1, x2 = x1 / 1000 * width, x2 / 1000 * width
            y1, y2 = y1 / 1000 * height, y2 / 1000 * height
            score = float(b['Confidence']) if isinstance(b.get('Confidence'), (int, float)) else 1.0
            out.append(([x1, y1, x2 - x1, y2 - y1], score))
        except Exception:
            break
    return out


def bb_iou(d, g):
    w = np.fmin(d[2] + d[0], g[2] + g[0]) - np.fmax(d[0], g[0])
    if w <= 0:
        return 0.0
    h = np.fmin(d[3] + d[1], g[3] + g[1]) - np.fmax(d[1], g[1])
    if h <= 0:
        return 0.0
    i = w * h
    u = d[2] * d[3] + g[2] * g[3] - i
    return i / u


def evaluate(gts, dts, img_ids, cat_ids):
    iou_thrs = np.linspace(.5, 0.95, int(np.round((0.95 - .5) / .05)) + 1, endpoint=True)
    rec_thrs = np.linspace(.0, 1.00, int(np.round((1.00 - .0) / .01)) + 1, endpoint=True)
    a_rng = [0 ** 2, 1e5 ** 2]
    max_det = 100
    G, D = {}, {}
    for g in gts:
        G.setdefault((g['image_id'], g['category_id']), []).append(g)
    for d in dts:
        D.setdefault((d['image_id'], d['category_id']), []).append(d)

    def evaluate_img(img, cat):
        gt, dt = G.get((img, cat), []), D.get((img, cat), [])
        if len(gt) == 0 and len(dt) == 0:
            return None
        for g in gt:
            g['_ignore'] = 1 if (g['area'] < a_rng[0] or g['area'] > a_rng[1]) else 0
        gtind = np.argsort([g['_ignore'] for g in gt], kind='mergesort')
        gt = [gt[i] for i in gtind]
        dtind = np.argsort([-d['score'] for d in dt], kind='mergesort')
        dt = [dt[i] for i in dtind[0:max_det]]
        ious = np.array([[bb_iou(d['bbox'], g['bbox']) for g in gt] for d in dt]) if len(gt) and len(dt) else []
        T, Gn, Dn = len(iou_thrs), len(gt), len(dt)
        gtm, dtm = np.zeros((T, Gn)), np.zeros((T, Dn))
        gt_ig = np.array([g['_ignore'] for g in gt])
        dt_ig = np.zeros((T, Dn))
        if not len(ious) == 0:
            for tind, t in enumerate(iou_thrs):
                for dind, d in enumerate(dt):
                    iou = min([t, 1 - 1e-10])
                    m = -1
                    for gind, g in enumerate(gt):
                        if gtm[tind, gind] > 0:
                            continue
                        if m > -1 and gt_ig[m] == 0 and gt_ig[gind] == 1:
                            break
                        if ious[dind, gind] < iou:
                            continue
                        iou = ious[dind, gind]
                        m = gind
                    if m == -1:
                        continue
                    dt_ig[tind, dind] = gt_ig[m]
                    dtm[tind, dind] = gt[m]['id']
                    gtm[tind, m] = d['id']
        a = np.array([d['area'] < a_rng[0] or d['area'] > a_rng[1] for d in dt]).reshape((1, len(dt)))
        dt_ig = np.logical_or(dt_ig, np.logical_and(dtm == 0, np.repeat(a, T, 0)))
        return {'dtScores': [d['score'] for d in dt], 'dtMatches': dtm, 'dtIgnore': dt_ig, 'gtIgnore': gt_ig}

    precision = -np.ones((len(iou_thrs), len(rec_thrs), len(cat_ids)))
    for k, cat in enumerate(cat_ids):
        E = [evaluate_img(img, cat) for img in img_ids]
        E = [e for e in E if e is not None]
        if len(E) == 0:
            continue
        dt_scores = np.concatenate([e['dtScores'][0:max_det] for e in E])
        inds = np.argsort(-dt_scores, kind='mergesort')
        dtm = np.concatenate([e['dtMatches'][:, 0:max_det] for e in E], axis=1)[:, inds]
        dt_ig = np.concatenate([e['dtIgnore'][:, 0:max_det] for e in E], axis=1)[:, inds]
        gt_ig = np.concatenate([e['gtIgnore'] for e in E])
        npig = np.count_nonzero(gt_ig == 0)
        if npig == 0:
            continue
        tps = np.logical_and(dtm, np.logical_not(dt_ig))
        fps = np.logical_and(np.logical_not(dtm), np.logical_not(dt_ig))
        tp_sum = np.cumsum(tps, axis=1).astype(dtype=float)
        fp_sum = np.cumsum(fps, axis=1).astype(dtype=float)
        for t, (tp, fp) in enumerate(zip(tp_sum, fp_sum)):
            tp, fp = np.array(tp), np.array(fp)
            nd = len(tp)
            rc = tp / npig
            pr = tp / (fp + tp + np.spacing(1))
            q = np.zeros((len(rec_thrs),))
            pr, q = pr.tolist(), q.tolist()
            for i in range(nd - 1, 0, -1):
                if pr[i] > pr[i - 1]:
                    pr[i - 1] = pr[i]
            inds_r = np.searchsorted(rc, rec_thrs, side='left')
            try:
                for ri, pi in enumerate(inds_r):
                    q[ri] = pr[pi]
            except Exception:
                pass
            precision[t, :, k] = np.array(q)
    return precision


def main():
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(score(json.loads(line))))


def score(data):
    samples = [s for s in data['samples'] if s['task'] == 'detection']
    preds = {json.dumps(p['id']): p['completion'] for p in data['predictions']}
    cats = []
    for s in samples:
        if s['category'] not in cats:
            cats.append(s['category'])
    cat_id = {c: i + 1 for i, c in enumerate(cats)}
    img_ids = sorted({s['image_id'] for s in samples})
    gts, dts = [], []
    for s in samples:
        for bbox, _ in to_pixels(s['solution'], s['width'], s['height'], False):
            gts.append({'id': len(gts) + 1, 'image_id': s['image_id'], 'category_id': cat_id[s['category']], 'bbox': bbox, 'area': bbox[2] * bbox[3]})
        c = preds.get(json.dumps(s['id']))
        if c is None:
            continue
        for bbox, score in to_pixels(c, s['width'], s['height'], True):
            dts.append({'id': len(dts) + 1, 'image_id': s['image_id'], 'category_id': cat_id[s['category']], 'bbox': bbox, 'area': bbox[2] * bbox[3], 'score': score})
    precision = evaluate(gts, dts, img_ids, [cat_id[c] for c in cats])
    per = {}
    for k, c in enumerate(cats):
        p = precision[:, :, k]
        per[c] = {'ap': float(np.mean(p)) if (p > -1).any() else -1.0, 'ap50': float(np.mean(p[0])) if (p[0] > -1).any() else -1.0}
    valid = precision[precision > -1]
    valid50 = precision[0][precision[0] > -1]
    return {'map': float(np.mean(valid)) if len(valid) else -1.0, 'ap50': float(np.mean(valid50)) if len(valid50) else -1.0, 'per_category': per}


if __name__ == '__main__':
    main()
