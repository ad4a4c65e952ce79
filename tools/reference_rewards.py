"""A reconstruction of the released Visual-RFT reward code (DESIGN.md §3, reference mode), used only as a
differential-test oracle: src/core/rewards/reference.diff.test.ts feeds it fuzzed completions and checks that the
TypeScript port gives the same numbers under real CPython semantics (json, sorting, int/float, regex, strip).

Reads JSON lines {"task", "completion", "solution"} on stdin and writes one JSON line of rewards per input.
"""
import json
import math
import re
import sys


def extract_bbox(response):
    start_tag = "<answer>"
    end_tag = "</answer>"
    input_str = response
    if start_tag in input_str:
        start_idx = input_str.find(start_tag) + len(start_tag)
        end_idx = input_str.find(end_tag)
        if end_idx == -1:
            end_idx = len(input_str)
        content_str = input_str[start_idx:end_idx]
        if not content_str.endswith("]"):
            content_str = content_str.rsplit("},", 1)[0] + "}]"
        content_str_corrected = content_str.replace("'", '"')
        try:
            bbox_list = json.loads(content_str_corrected)
        except json.JSONDecodeError:
            bbox_list = None
    else:
        bbox_list = None
    return bbox_list


def calculate_iou(bbox1, bbox2):
    x1, y1, x2, y2 = bbox1
    x1_2, y1_2, x2_2, y2_2 = bbox2
    xi1 = max(x1, x1_2)
    yi1 = max(y1, y1_2)
    xi2 = min(x2, x2_2)
    yi2 = min(y2, y2_2)
    if xi2 <= xi1 or yi2 <= yi1:
        return 0.0
    intersection_area = (xi2 - xi1) * (yi2 - yi1)
    area1 = (x2 - x1) * (y2 - y1)
    area2 = (x2_2 - x1_2) * (y2_2 - y1_2)
    union_area = area1 + area2 - intersection_area
    iou = intersection_area / union_area
    return iou


def sort_and_calculate_iou(list1, list2, iou_threshold=0.5):
    list2_sorted = sorted(list2, key=lambda x: x['Confidence'], reverse=True)
    iou_results = []
    matched_list1_indices = set()
    for bbox2 in list2_sorted:
        max_iou = 0
        match_index = -1
        for i, bbox1 in enumerate(list1):
            if i not in matched_list1_indices:
                iou = calculate_iou(bbox1['Position'], bbox2['Position'])
                if iou > max_iou:
                    max_iou = iou
                    match_index = i
        if max_iou > iou_threshold:
            iou_results.append((max_iou, bbox2['Confidence']))
            matched_list1_indices.add(match_index)
        else:
            iou_results.append((0, bbox2['Confidence']))
    return iou_results


def remove_duplicates(bbox_list):
    seen = set()
    unique_bboxes = []
    for bbox in bbox_list:
        position_tuple = tuple(bbox['Position'])
        if position_tuple not in seen:
            seen.add(position_tuple)
            unique_bboxes.append(bbox)
    return unique_bboxes


def _sums(iou_results):
    iou_reward = 0.0
    confidence_reward = 0.0
    for i in range(len(iou_results)):
        temp_iou = iou_results[i][0]
        temp_confidence = iou_results[i][1]
        temp_iou_reward = temp_iou
        if temp_iou == 0:
            temp_confidence_reward = (1 - temp_iou) * (1 - temp_confidence)
        else:
            temp_confidence_reward = temp_confidence
        iou_reward += temp_iou_reward
        confidence_reward += temp_confidence_reward
    return iou_reward, confidence_reward


def compute_reward_iou(iou_results, len_gt):
    iou_reward, _ = _sums(iou_results)
    if len_gt >= len(iou_results):
        return iou_reward / len_gt
    return iou_reward / len(iou_results)


def compute_reward_confidence(iou_results, len_gt):
    _, confidence_reward = _sums(iou_results)
    return confidence_reward / len(iou_results)


def detection_reward(content, sol, compute):
    reward = 0.0
    try:
        ground_truth = sol.strip()
        content_match = re.search(r'<answer>(.*?)</answer>', content)
        student_answer = content_match.group(1).strip() if content_match else content.strip()
        student_answer = '<answer>' + student_answer + '</answer>'
        student_answer = student_answer.replace("[[", '[')
        student_answer = student_answer.replace("]]", ']')
        student_answer = student_answer.replace("\n", '')
        ground_truth_bbox = extract_bbox(ground_truth)
        student_answer_bbox = extract_bbox(student_answer)
        if student_answer_bbox == None or type(student_answer_bbox[0]) != dict:
            reward = 0.0
        else:
            student_answer_bbox = remove_duplicates(student_answer_bbox)
            iou_results = sort_and_calculate_iou(ground_truth_bbox, student_answer_bbox)
            reward = compute(iou_results, len(ground_truth_bbox))
            if reward > 1:
                reward = 1.0
            if reward < 0:
                reward = 0.0
    except Exception:
        pass
    if isinstance(reward, float) and math.isnan(reward):
        reward = 0.0  # the one deliberate deviation (DESIGN.md §3)
    return reward


def format_reward(content):
    pattern = r"<think>.*?</think>\s*<answer>.*?</answer>"
    return 1.0 if re.fullmatch(pattern, content, re.DOTALL) else 0.0


def accuracy_cls(content, sol):
    reward = 0.0
    try:
        sol_match = re.search(r'<answer>(.*?)</answer>', sol)
        ground_truth = sol_match.group(1).strip() if sol_match else sol.strip()
        content_match = re.search(r'<answer>(.*?)</answer>', content)
        student_answer = content_match.group(1).strip() if content_match else content.strip()
        ground_truth = ground_truth.replace(' ', '').replace('_', '').lower()
        student_answer = student_answer.replace(' ', '').replace('_', '').lower()
        if ground_truth in student_answer or student_answer in ground_truth:
            reward = 1.0
    except Exception:
        pass
    return reward


def extract_points(text):
    pattern = r'\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*,\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)'
    matches = re.findall(pattern, text)
    points = [(int(m[0]) / 1000, int(m[1]) / 1000) for m in matches]
    points += [(int(m[2]) / 1000, int(m[3]) / 1000) for m in matches]
    return [points[0][0], points[0][1], points[1][0], points[1][1]]


def giou(box1, box2):
    inter = max(0, min(box1[2], box2[2]) - max(box1[0], box2[0])) * max(0, min(box1[3], box2[3]) - max(box1[1], box2[1]))
    union = (box1[2] - box1[0]) * (box1[3] - box1[1]) + (box2[2] - box2[0]) * (box2[3] - box2[1]) - inter
    iou = inter / union if union > 0 else 0
    c = (max(box1[2], box2[2]) - min(box1[0], box2[0])) * (max(box1[3], box2[3]) - min(box1[1], box2[1]))
    return (iou - (c - union) / c if c > 0 else iou), iou


def grounding(content, sol):
    g, i = 0.0, 0.0
    sol_match = re.search(r'<answer>(.*?)</answer>', sol)
    ground_truth = sol_match.group(1).strip() if sol_match else sol.strip()
    content_match = re.search(r'<answer>(.*?)</answer>', content, re.DOTALL)
    student_answer = content_match.group(1).strip() if content_match else content.strip()
    try:
        gv, iv = giou(extract_points(student_answer), extract_points(ground_truth))
        g, i = gv + 1, iv
    except Exception:
        pass
    if student_answer == ground_truth:
        g = 2.0
    return g, i


def main():
    for line in sys.stdin:
        case = json.loads(line)
        c, s, task = case['completion'], case['solution'], case['task']
        out = {'format': format_reward(c)}
        if task == 'detection':
            out['accuracy_iou'] = detection_reward(c, s, compute_reward_iou)
            out['accuracy_confidence'] = detection_reward(c, s, compute_reward_confidence)
        elif task == 'classification':
            out['accuracy_cls'] = accuracy_cls(c, s)
        else:
            out['grounding_giou'], out['grounding_iou'] = grounding(c, s)
        print(json.dumps({k: float(v) for k, v in out.items()}))


if __name__ == '__main__':
    main()
