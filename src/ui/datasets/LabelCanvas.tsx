/**
 * The labeling canvas (react-konva): the image fitted to the view, boxes in their class colours, drawing by
 * dragging on empty image, moving and resizing with handles (Transformer), wheel zoom around the pointer,
 * space-drag pan. Coordinates are converted once between stage pixels and image pixels; the dataset stores
 * image pixels only.
 */
import type Konva from 'konva';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Image as KImage, Layer, Rect, Stage, Text, Transformer } from 'react-konva';
import type { Corners, Dataset, DatasetImage } from '../../state/datasetStore';
import { drawBox, moveBox, selectBoxes, useEditorStore } from '../../state/editorStore';
import { canvasImage } from '../../state/imageCache';

interface View {
  scale: number;
  x: number;
  y: number;
}

function useSize(ref: React.RefObject<HTMLDivElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 640, height: 480 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: Math.max(200, el.clientWidth), height: Math.max(200, el.clientHeight) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

export function LabelCanvas({ dataset, image }: { dataset: Dataset; image: DatasetImage }) {
  const wrap = useRef<HTMLDivElement>(null);
  const size = useSize(wrap);
  const [bitmap, setBitmap] = useState<{ id: string; bmp?: ImageBitmap; error?: string } | null>(null);
  const [draft, setDraft] = useState<Corners | null>(null);
  const [spaceDown, setSpaceDown] = useState(false);
  const selected = useEditorStore((s) => s.selected);
  const hide = useEditorStore((s) => s.hideBoxes);
  const fitRequest = useEditorStore((s) => s.fitRequest);
  const transformer = useRef<Konva.Transformer>(null);
  const stage = useRef<Konva.Stage>(null);
  const startRef = useRef<[number, number] | null>(null);
  const boxesInteractive = dataset.task !== 'classification';

  useEffect(() => {
    let live = true;
    canvasImage(image.id).then(
      (bmp) => live && setBitmap({ id: image.id, bmp }),
      (e) => live && setBitmap({ id: image.id, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [image.id]);

  const fit = useMemo(() => {
    const s = Math.min((size.width - 16) / image.width, (size.height - 16) / image.height);
    return { scale: s, x: (size.width - image.width * s) / 2, y: (size.height - image.height * s) / 2 };
  }, [size.width, size.height, image.width, image.height]);
  // The user's zoom and pan hold until the image, the canvas size or a fit request (F) changes.
  const viewKey = `${image.id}:${fitRequest}:${size.width}x${size.height}`;
  const [userView, setUserView] = useState<{ key: string; view: View } | null>(null);
  const view = userView?.key === viewKey ? userView.view : fit;
  const setView = (next: View | ((v: View) => View)) => setUserView({ key: viewKey, view: typeof next === 'function' ? next(view) : next });

  useEffect(() => {
    const down = (e: KeyboardEvent) => e.code === 'Space' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) && setSpaceDown(true);
    const up = (e: KeyboardEvent) => e.code === 'Space' && setSpaceDown(false);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);

  useEffect(() => {
    const tr = transformer.current;
    const st = stage.current;
    if (!tr || !st) return;
    tr.nodes(selected.map((id) => st.findOne(`#box-${id}`)).filter((n): n is Konva.Node => !!n));
    tr.getLayer()?.batchDraw();
  }, [selected, image, hide]);

  const toImage = (p: { x: number; y: number }): [number, number] => [(p.x - view.x) / view.scale, (p.y - view.y) / view.scale];
  const classColor = (id: number) => dataset.classes.find((c) => c.id === id)?.color ?? '#888';
  const className = (id: number) => dataset.classes.find((c) => c.id === id)?.name ?? '?';

  const onWheel = (e: Konva.KonvaEventObject<WheelEvent>) => {
    e.evt.preventDefault();
    const p = stage.current?.getPointerPosition();
    if (!p) return;
    const factor = e.evt.deltaY < 0 ? 1.15 : 1 / 1.15;
    const scale = Math.min(Math.max(view.scale * factor, fit.scale * 0.25), fit.scale * 40);
    const [ix, iy] = toImage(p);
    setView({ scale, x: p.x - ix * scale, y: p.y - iy * scale });
  };

  const onDown = (e: Konva.KonvaEventObject<MouseEvent>) => {
    if (spaceDown || e.evt.button !== 0) return;
    const target = e.target;
    const onEmpty = target === stage.current || target.name() === 'image';
    if (!onEmpty) return;
    selectBoxes([]);
    if (!boxesInteractive) return;
    const p = stage.current!.getPointerPosition()!;
    startRef.current = toImage(p);
    setDraft([...startRef.current, ...startRef.current] as Corners);
  };
  const onMove = () => {
    if (!startRef.current) return;
    const p = stage.current!.getPointerPosition()!;
    const [x, y] = toImage(p);
    setDraft([startRef.current[0], startRef.current[1], x, y]);
  };
  const onUp = () => {
    if (!startRef.current || !draft) return;
    startRef.current = null;
    setDraft(null);
    // Stay in box mode: a drawn box takes the active class; no dialog.
    drawBox(draft);
  };

  const loaded = bitmap?.id === image.id ? (bitmap.bmp ?? null) : null;
  const error = bitmap?.id === image.id ? bitmap.error : undefined;
  const stroke = 2;
  return (
    <div ref={wrap} className={`canvas-wrap${spaceDown ? ' panning' : ''}`} data-loaded-image={loaded ? image.id : ''} aria-label={`Labeling canvas: ${image.fileName}`} role="img">
      {error && <p className="canvas-error" role="alert">{error}</p>}
      <Stage ref={stage} width={size.width} height={size.height} onWheel={onWheel} onMouseDown={onDown} onMouseMove={onMove} onMouseUp={onUp} draggable={spaceDown} x={0} y={0}
        onDragEnd={(e) => {
          if (e.target !== stage.current) return;
          const st = stage.current!;
          setView((v) => ({ ...v, x: v.x + st.x(), y: v.y + st.y() }));
          st.position({ x: 0, y: 0 });
        }}>
        <Layer>
          {loaded && <KImage name="image" image={loaded} x={view.x} y={view.y} width={image.width * view.scale} height={image.height * view.scale} imageSmoothingEnabled={view.scale < 2} />}
          {!hide && boxesInteractive &&
            image.annotations.map((a) => {
              const [x1, y1, x2, y2] = a.box;
              const color = classColor(a.classId);
              return (
                <Rect
                  key={a.id}
                  id={`box-${a.id}`}
                  x={view.x + x1 * view.scale}
                  y={view.y + y1 * view.scale}
                  width={(x2 - x1) * view.scale}
                  height={(y2 - y1) * view.scale}
                  stroke={color}
                  strokeWidth={selected.includes(a.id) ? stroke + 1 : stroke}
                  fill={`${color}22`}
                  draggable={!spaceDown}
                  onMouseDown={(e) => {
                    e.cancelBubble = true;
                    selectBoxes(e.evt.shiftKey ? [...new Set([...selected, a.id])] : [a.id]);
                  }}
                  onDragEnd={(e) => {
                    const n = e.target;
                    const nx = (n.x() - view.x) / view.scale;
                    const ny = (n.y() - view.y) / view.scale;
                    moveBox(a.id, [nx, ny, nx + (x2 - x1), ny + (y2 - y1)]);
                  }}
                  onTransformEnd={(e) => {
                    const n = e.target;
                    const w = (n.width() * n.scaleX()) / view.scale;
                    const h = (n.height() * n.scaleY()) / view.scale;
                    n.scaleX(1);
                    n.scaleY(1);
                    const nx = (n.x() - view.x) / view.scale;
                    const ny = (n.y() - view.y) / view.scale;
                    moveBox(a.id, [nx, ny, nx + w, ny + h]);
                  }}
                />
              );
            })}
          {!hide && boxesInteractive &&
            image.annotations.map((a) => (
              // Konva draws text as text on the canvas: a label is never interpreted as HTML.
              <Text key={`t-${a.id}`} listening={false} x={view.x + a.box[0] * view.scale + 2} y={view.y + a.box[1] * view.scale - 16} text={a.expression ? `${className(a.classId)}: ${a.expression}` : className(a.classId)} fontSize={13} fill={classColor(a.classId)} />
            ))}
          {draft && <Rect listening={false} x={view.x + Math.min(draft[0], draft[2]) * view.scale} y={view.y + Math.min(draft[1], draft[3]) * view.scale} width={Math.abs(draft[2] - draft[0]) * view.scale} height={Math.abs(draft[3] - draft[1]) * view.scale} stroke="#fff" dash={[4, 4]} strokeWidth={1.5} />}
          <Transformer ref={transformer} rotateEnabled={false} keepRatio={false} ignoreStroke boundBoxFunc={(oldBox, nb) => (nb.width < 3 || nb.height < 3 ? oldBox : nb)} />
        </Layer>
      </Stage>
    </div>
  );
}
