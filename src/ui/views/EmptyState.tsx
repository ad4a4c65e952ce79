import type { ReactNode } from 'react';

/** What a view will hold, shown until it has real content: a heading, a sentence, and what to do next. */
export function EmptyState({ title, children, points }: { title: string; children: ReactNode; points: string[] }) {
  return (
    <section className="empty" aria-labelledby={`empty-${title}`}>
      <h2 id={`empty-${title}`}>{title}</h2>
      <p>{children}</p>
      <ul>
        {points.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </section>
  );
}
