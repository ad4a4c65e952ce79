import { readFileSync } from 'node:fs';
import { type Page, expect, test } from '@playwright/test';
import { createDataset, drawBox } from './helpers';

/** Real photos (from The Embedded Rust Book, MIT/Apache-2.0), 720×477 JPEGs. */
const photo = (name: string) => readFileSync(`e2e/fixtures/${name}`);

/** The same JPEG with an EXIF APP1 segment saying "rotate 90° clockwise" (orientation 6), as phones write. */
function withOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const header = Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}



const boxes = (page: Page) => page.getByRole('region', { name: 'Boxes' }).getByRole('listitem');
const saved = (page: Page) => expect(page.getByRole('status', { name: 'Save status' })).toHaveText('All changes saved');

async function download(page: Page, format: string): Promise<Buffer> {
  await page.getByRole('combobox', { name: 'Export format' }).selectOption(format);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  return readFileSync((await file.path())!);
}

test.describe('dataset workbench', () => {
  // A laptop-sized window: the whole canvas must be on screen for mouse drawing.
  test.use({ viewport: { width: 1600, height: 1000 } });
  test('a new user uploads photos, labels them by mouse and keyboard, undoes, and finds everything after a reload', async ({ page }) => {
    await createDataset(page, 'Desk photos');
    await page.getByLabel('Image files').setInputFiles([
      { name: 'board.jpg', mimeType: 'image/jpeg', buffer: photo('board.jpg') },
      { name: 'desk.jpg', mimeType: 'image/jpeg', buffer: photo('desk.jpg') },
      { name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: withOrientation(photo('board.jpg'), 6) },
      { name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a jpeg at all') },
    ]);
    await expect(page.getByRole('alert').filter({ hasText: 'broken.jpg' })).toContainText('1 file was not added');
    const thumbs = page.getByRole('listbox', { name: 'Image thumbnails' }).getByRole('option');
    await expect(thumbs).toHaveCount(3);
    await expect(page.getByRole('status').filter({ hasText: 'portrait.jpg: rotated upright' })).toBeVisible();

    // Classes, then boxes by mouse: drawing stays in box mode, no dialog.
    await page.getByLabel('New class name').fill('board');
    await page.getByLabel('New class name').press('Enter');
    await page.getByLabel('New class name').fill('<b>cable</b>');
    await page.getByLabel('New class name').press('Enter');
    await expect(page.getByRole('region', { name: 'Classes' }).getByRole('button', { name: /<b>cable<\/b>/ })).toBeVisible();
    await page.getByRole('region', { name: 'Classes' }).getByRole('button', { name: /board/ }).click();
    await drawBox(page, [0.2, 0.2], [0.5, 0.6]);
    await drawBox(page, [0.6, 0.3], [0.9, 0.8]);
    await expect(boxes(page)).toHaveCount(2);
    await expect(boxes(page).nth(0)).toHaveAttribute('aria-label', /^Box board at 1[45]\d, 9\d, 36\d, 28\d$/);
    // Keyboard: 2 relabels the selected (last drawn) box; Delete, undo, redo.
    await page.keyboard.press('2');
    await expect(boxes(page).nth(1)).toHaveAttribute('aria-label', /^Box <b>cable<\/b> at/);
    await page.keyboard.press('Delete');
    await expect(boxes(page)).toHaveCount(1);
    await page.keyboard.press('Control+z');
    await expect(boxes(page)).toHaveCount(2);
    await page.keyboard.press('Control+Shift+z');
    await expect(boxes(page)).toHaveCount(1);
    await page.keyboard.press('Control+z');
    await expect(boxes(page)).toHaveCount(2);
    await page.keyboard.press('Control+z');
    await expect(boxes(page).nth(1)).toHaveAttribute('aria-label', /^Box board at/);
    await page.keyboard.press('Control+Shift+z');
    // Copy both boxes, next image (D), paste; next (→), R repeats the previous image's boxes.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('d');
    await expect(page.getByText('desk.jpg', { exact: true }).first()).toBeVisible();
    await page.keyboard.press('Control+v');
    await expect(boxes(page)).toHaveCount(2);
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('.image-meta')).toContainText('portrait.jpg');
    await expect(page.locator('.image-meta')).toContainText('477×720');
    await page.keyboard.press('r');
    await expect(boxes(page)).toHaveCount(2);
    await page.keyboard.press('a');
    await page.keyboard.press('h');
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Repeat the previous image');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
    await page.getByRole('radio', { name: 'eval' }).check();
    await saved(page);

    await page.reload();
    await page.getByRole('button', { name: 'Open Desk photos' }).click();
    await expect(thumbs).toHaveCount(3);
    await expect(thumbs.nth(1)).toHaveAttribute('aria-label', 'desk.jpg, labelled, eval');
    await expect(boxes(page)).toHaveCount(2);
    await expect(boxes(page).nth(0)).toHaveAttribute('aria-label', /^Box board at 1[45]\d, 9\d, 36\d, 28\d$/);
    await expect(boxes(page).nth(1)).toHaveAttribute('aria-label', /^Box <b>cable<\/b> at/);
    await thumbs.nth(2).click();
    await expect(boxes(page)).toHaveCount(2);
  });

  test('exports COCO, imports it into a new dataset, and gets identical annotations', async ({ page }) => {
    await page.goto('/#/datasets');
    const gen = page.getByRole('form', { name: 'Generate from the world' });
    await gen.getByLabel('Train images per category').fill('3');
    await gen.getByLabel('Eval images per category').fill('2');
    await gen.getByRole('button', { name: /Generate 35 images/ }).click();
    const total = page.getByRole('combobox', { name: 'Label status filter' }).getByRole('option').first();
    await expect(total).toHaveText('all (35)');
    await saved(page);
    const before = (await download(page, 'csv')).toString('utf8');
    expect(before.split('\r\n').length).toBeGreaterThan(36);
    const coco = await download(page, 'coco');
    await page.getByRole('button', { name: '← Datasets' }).click();
    await page.getByLabel('Import files').setInputFiles([{ name: 'world-coco.zip', mimeType: 'application/zip', buffer: coco }]);
    await expect(page.getByRole('status').filter({ hasText: 'Imported 35 images' })).toBeVisible();
    await expect(total).toHaveText('all (35)');
    const after = (await download(page, 'csv')).toString('utf8');
    expect(after).toBe(before);
  });

  test('a malformed COCO file is reported with its field and nothing is imported', async ({ page }) => {
    await page.goto('/#/datasets');
    const bad = JSON.stringify({ images: [{ id: 1, file_name: 'board.jpg', width: 720, height: 477 }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 2, 3] }], categories: [{ id: 1, name: 'board' }] });
    await page.getByLabel('Import files').setInputFiles([
      { name: 'instances.json', mimeType: 'application/json', buffer: Buffer.from(bad) },
      { name: 'board.jpg', mimeType: 'image/jpeg', buffer: photo('board.jpg') },
    ]);
    await expect(page.getByRole('alert').filter({ hasText: 'Import failed' })).toContainText('Import failed, nothing was imported: instances.json: annotations[0].bbox: must be four numbers');
    await expect(page.getByRole('region', { name: 'Saved datasets' })).toContainText('No datasets yet');
  });

  test('drop and paste add images; a huge image is shown downscaled while its boxes stay in original pixels', async ({ page }) => {
    await createDataset(page, 'Big pictures');
    // A 6000×4000 picture, made in the page (a gradient with a few shapes), dropped onto the editor.
    const dropped = await page.evaluateHandle(async () => {
      const c = new OffscreenCanvas(6000, 4000);
      const g = c.getContext('2d')!;
      const grad = g.createLinearGradient(0, 0, 6000, 4000);
      grad.addColorStop(0, '#246');
      grad.addColorStop(1, '#fc8');
      g.fillStyle = grad;
      g.fillRect(0, 0, 6000, 4000);
      g.fillStyle = '#e22';
      g.fillRect(3000, 2000, 1500, 1000);
      const dt = new DataTransfer();
      dt.items.add(new File([await c.convertToBlob({ type: 'image/jpeg', quality: 0.8 })], 'huge.jpg', { type: 'image/jpeg' }));
      return dt;
    });
    await page.locator('.editor').dispatchEvent('dragover', { dataTransfer: dropped });
    await page.locator('.editor').dispatchEvent('drop', { dataTransfer: dropped });
    await expect(page.locator('.image-meta')).toContainText('huge.jpg');
    await expect(page.locator('.image-meta')).toContainText('6000×4000');
    await page.getByLabel('New class name').fill('red box');
    await page.getByLabel('New class name').press('Enter');
    await drawBox(page, [0.5, 0.5], [0.75, 0.75], { width: 6000, height: 4000 });
    await expect(boxes(page).first()).toHaveAttribute('aria-label', /^Box red box at (29|30)\d\d, (19|20)\d\d, (44|45)\d\d, (29|30)\d\d$/);
    // Stored: the original bytes for export, and a 2048-pixel copy that the canvas decodes.
    const stored = await page.evaluate(async () => {
      const db: IDBDatabase = await new Promise((r) => (indexedDB.open('visual-rft-workbench').onsuccess = (e) => r((e.target as IDBOpenDBRequest).result)));
      const all: { original: Blob; display: Blob | null }[] = await new Promise((r) => (db.transaction('blobs').objectStore('blobs').getAll().onsuccess = (e) => r((e.target as IDBRequest).result)));
      const bmp = await createImageBitmap(all[0].display!);
      const orig = await createImageBitmap(all[0].original);
      return { display: [bmp.width, bmp.height], original: [orig.width, orig.height] };
    });
    expect(stored).toEqual({ display: [2048, 1365], original: [6000, 4000] });

    // Paste an image from the clipboard.
    await page.evaluate(async () => {
      const c = new OffscreenCanvas(64, 48);
      c.getContext('2d')!.fillRect(0, 0, 10, 10);
      const dt = new DataTransfer();
      dt.items.add(new File([await c.convertToBlob({ type: 'image/png' })], 'pasted.png', { type: 'image/png' }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt }));
    });
    await expect(page.getByRole('combobox', { name: 'Label status filter' }).getByRole('option').first()).toHaveText('all (2)');
    await expect(page.getByRole('listbox', { name: 'Image thumbnails' }).getByRole('option', { name: /pasted.png/ })).toBeVisible();
  });
});
