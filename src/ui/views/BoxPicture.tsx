/** A picture with boxes in 0–1000 coordinates over it: the truth dashed, each set of predictions in its colour. */
export function BoxPicture({ url, truth, sets, label }: { url?: string; truth: { box: number[] }[]; sets: { color: string; boxes: { box: number[] }[] }[]; label: string }) {
  return (
    <svg className="inspector-picture" viewBox="0 0 1000 1000" preserveAspectRatio="none" role="img" aria-label={label}>
      {url ? <image href={url} x={0} y={0} width={1000} height={1000} preserveAspectRatio="none" /> : <rect width={1000} height={1000} fill="#eee" />}
      {truth.map((b, i) => (
        <rect key={`t${i}`} x={b.box[0]} y={b.box[1]} width={b.box[2] - b.box[0]} height={b.box[3] - b.box[1]} fill="none" stroke="#fff" strokeWidth={8} strokeDasharray="24 12" />
      ))}
      {sets.flatMap((s, si) => s.boxes.map((b, i) => <rect key={`${si}-${i}`} x={b.box[0]} y={b.box[1]} width={b.box[2] - b.box[0]} height={b.box[3] - b.box[1]} fill="none" stroke={s.color} strokeWidth={6} />))}
    </svg>
  );
}
