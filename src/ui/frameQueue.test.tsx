// @vitest-environment jsdom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useFrameQueued, useStages } from './frameQueue';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** Frames run by hand: each `frame()` calls the callbacks requested before it, as a browser's next frame does. */
let frames: FrameRequestCallback[] = [];
function frame(): void {
  const due = frames;
  frames = [];
  act(() => due.forEach((f) => f(0)));
}

const renders: Record<string, (string | undefined)[]> = {};
function Probe({ name, value }: { name: string; value: string }) {
  const shown = useFrameQueued(value);
  (renders[name] ??= []).push(shown);
  return <span data-name={name}>{shown ?? '-'}</span>;
}
function Staged({ start }: { start: boolean }) {
  return <span id="stage">{useStages(start, 3)}</span>;
}

let host: HTMLElement;
beforeEach(() => {
  vi.useFakeTimers();
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
  for (const k of Object.keys(renders)) delete renders[k];
  host = document.createElement('div');
});
afterEach(() => {
  // Drain what a test left queued, so the next one starts with an idle queue.
  act(() => vi.runAllTimers());
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const text = (name: string) => host.querySelector(`[data-name="${name}"]`)?.textContent;

describe('the frame queue', () => {
  it('admits one component per frame, in the order they asked', () => {
    const root = createRoot(host);
    act(() =>
      root.render(
        <>
          <Probe name="a" value="a1" />
          <Probe name="b" value="b1" />
          <Probe name="c" value="c1" />
        </>,
      ),
    );
    expect([text('a'), text('b'), text('c')]).toEqual(['-', '-', '-']);
    frame();
    expect([text('a'), text('b'), text('c')]).toEqual(['a1', '-', '-']);
    frame();
    expect([text('a'), text('b'), text('c')]).toEqual(['a1', 'b1', '-']);
    frame();
    expect([text('a'), text('b'), text('c')]).toEqual(['a1', 'b1', 'c1']);
    act(() => root.unmount());
  });

  it('coalesces changes made while a component waits into one render of the newest value', () => {
    const root = createRoot(host);
    act(() => root.render(<Probe name="a" value="v1" />));
    act(() => root.render(<Probe name="a" value="v2" />));
    act(() => root.render(<Probe name="a" value="v3" />));
    const before = renders.a.filter((v) => v !== undefined).length;
    frame();
    expect(text('a')).toBe('v3');
    expect(renders.a.filter((v) => v !== undefined).length - before).toBe(1);
    frame();
    expect(frames).toEqual([]);
    act(() => root.unmount());
  });

  it('still admits work when no frames come (a hidden tab), by a timer', () => {
    const root = createRoot(host);
    act(() => root.render(<Probe name="a" value="x" />));
    act(() => vi.advanceTimersByTime(100));
    expect(text('a')).toBe('x');
    act(() => root.unmount());
  });

  it('drops the turn of a component that unmounted before it came', () => {
    const root = createRoot(host);
    act(() =>
      root.render(
        <>
          <Probe key="a" name="a" value="a" />
          <Probe key="b" name="b" value="b" />
        </>,
      ),
    );
    act(() => root.render(<Probe key="b" name="b" value="b" />));
    frame();
    expect(text('b')).toBe('b');
    act(() => root.unmount());
  });

  it('advances stages one per frame once started, and stops at the count', () => {
    const root = createRoot(host);
    const stage = () => host.querySelector('#stage')?.textContent;
    act(() => root.render(<Staged start={false} />));
    frame();
    expect(stage()).toBe('0');
    act(() => root.render(<Staged start />));
    for (const want of ['1', '2', '3', '3']) {
      frame();
      expect(stage()).toBe(want);
    }
    act(() => root.unmount());
  });
});
