// Draws the two Teams app icons from geometry, so that they can be regenerated and reviewed as code:
//   npx tsx scripts/make-icons.ts            writes manifest/color.png and manifest/outline.png
// The picture: a ballot sheet with a check mark above a ballot box with its slot.
//   color.png   192×192, white symbol on the académie blue #000091, anti-aliased (8×8 samples per pixel);
//   outline.png 32×32, white symbol on a transparent background, no anti-aliasing: Teams wants only white
//               and fully transparent pixels, so each pixel is either opaque white or transparent.
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

export const ACADEMIE_BLUE = '#000091';
export const COLOR_SIZE = 192;
export const OUTLINE_SIZE = 32;

type Rgba = readonly [number, number, number, number];
/** A shape in unit coordinates: x to the right, y downwards, the icon spanning [0, 1]². */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  readonly shape: Shape;
  readonly color: Rgba;
}

const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [255, 255, 255, 0];
const BLUE: Rgba = [0x00, 0x00, 0x91, 255];

function roundedRect(x0: number, y0: number, x1: number, y1: number, r = 0): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };
}

/** A polyline with round caps and joins. */
function stroke(points: ReadonlyArray<readonly [number, number]>, width: number): Shape {
  const half2 = (width / 2) ** 2;
  return (x, y) => {
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = points[i - 1] as readonly [number, number];
      const [bx, by] = points[i] as readonly [number, number];
      const vx = bx - ax;
      const vy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
      const px = ax + t * vx - x;
      const py = ay + t * vy - y;
      if (px * px + py * py <= half2) return true;
    }
    return false;
  };
}

/** Geometry shared by both icons; the outline gets thicker details so that they survive 32 pixels. */
interface Design {
  sheet: [number, number, number, number];
  check: Array<[number, number]>;
  checkWidth: number;
  box: [number, number, number, number];
  slot: [number, number, number, number];
}

const COLOR_DESIGN: Design = {
  sheet: [0.35, 0.15, 0.65, 0.52],
  check: [
    [0.415, 0.34],
    [0.48, 0.41],
    [0.59, 0.265],
  ],
  checkWidth: 0.05,
  box: [0.2, 0.57, 0.8, 0.84],
  slot: [0.33, 0.625, 0.67, 0.665],
};

const OUTLINE_DESIGN: Design = {
  sheet: [0.3125, 0.0625, 0.6875, 0.5],
  check: [
    [0.4, 0.28],
    [0.48, 0.37],
    [0.6, 0.19],
  ],
  checkWidth: 0.095,
  box: [0.0625, 0.5625, 0.9375, 0.9375],
  slot: [0.25, 0.6875, 0.75, 0.75],
};

function layers(d: Design, ink: Rgba, paper: Rgba, radius: number): Layer[] {
  return [
    { shape: roundedRect(...d.sheet, radius / 2), color: ink },
    { shape: stroke(d.check, d.checkWidth), color: paper },
    { shape: roundedRect(...d.box, radius), color: ink },
    { shape: roundedRect(...d.slot, radius / 4), color: paper },
  ];
}

/** Renders layers (last on top) over a background; returns straight-alpha RGBA pixels. */
function render(size: number, stack: Layer[], background: Rgba, samples: number): Buffer {
  const data = Buffer.alloc(size * size * 4);
  const n = samples * samples;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let color = background;
          for (const layer of stack) if (layer.shape(x, y)) color = layer.color;
          const alpha = color[3] / 255;
          r += color[0] * alpha;
          g += color[1] * alpha;
          b += color[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      data[i] = a ? Math.round(r / a) : 255;
      data[i + 1] = a ? Math.round(g / a) : 255;
      data[i + 2] = a ? Math.round(b / a) : 255;
      data[i + 3] = Math.round((a / n) * 255);
    }
  }
  return data;
}

/** 192×192, opaque: white symbol (the check mark in blue) on the académie blue. */
export function renderColorIcon(): PNG {
  const png = new PNG({ width: COLOR_SIZE, height: COLOR_SIZE });
  png.data = render(COLOR_SIZE, layers(COLOR_DESIGN, WHITE, BLUE, 0.03), BLUE, 8);
  return png;
}

/** 32×32: every pixel opaque white or fully transparent (the check mark and the slot are cut out). */
export function renderOutlineIcon(): PNG {
  const png = new PNG({ width: OUTLINE_SIZE, height: OUTLINE_SIZE });
  const coverage = render(OUTLINE_SIZE, layers(OUTLINE_DESIGN, WHITE, CLEAR, 0.06), CLEAR, 8);
  for (let i = 0; i < coverage.length; i += 4) {
    const opaque = (coverage[i + 3] ?? 0) >= 128;
    coverage.fill(255, i, i + 3);
    coverage[i + 3] = opaque ? 255 : 0;
  }
  png.data = coverage;
  return png;
}

export function writeIcons(dir: string): { color: string; outline: string } {
  const color = path.join(dir, 'color.png');
  const outline = path.join(dir, 'outline.png');
  fs.writeFileSync(color, PNG.sync.write(renderColorIcon(), { colorType: 2, deflateLevel: 9 }));
  fs.writeFileSync(outline, PNG.sync.write(renderOutlineIcon(), { colorType: 6, deflateLevel: 9 }));
  return { color, outline };
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'manifest'));
  const { color, outline } = writeIcons(dir);
  for (const file of [color, outline]) {
    console.log(`${path.relative(process.cwd(), file)} (${fs.statSync(file).size} octets)`);
  }
}
