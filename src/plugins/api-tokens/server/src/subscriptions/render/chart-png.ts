import { Resvg } from '@resvg/resvg-js';

/** The family text falls back to; DejaVu ships with most Linux images (apt `fonts-dejavu-core`). */
const FONT_FAMILY = 'DejaVu Sans';

/**
 * An SVG rasterised to PNG for mail, where clients do not show inline SVG: at twice `width` so it stays sharp on
 * high-density screens (the <img> is sized back to `width`), on white, with the system's fonts.
 */
export const chartPng = (svg: string, width: number): Buffer =>
  new Resvg(svg, {
    fitTo: { mode: 'width', value: width * 2 },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  })
    .render()
    .asPng();
