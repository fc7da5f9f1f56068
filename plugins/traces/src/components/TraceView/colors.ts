/*
 * Service colours: a fixed categorical palette indexed by the model's service index, so a
 * service keeps its colour in the legend, the rows, the minimap and the details panel.
 * Red is left out on purpose: it means "error" everywhere in the view.
 */
const SERVICE_PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#9c755f',
  '#ff9da7',
  '#499894',
  '#86bcb6',
  '#8cd17d',
  '#b6992d',
  '#a0cbe8',
  '#ffbe7d',
  '#d4a6c8',
  '#79706e',
  '#f1ce63',
  '#d37295',
  '#bab0ac',
  '#fabfd2',
];

export function serviceColor(serviceIndex: number): string {
  return SERVICE_PALETTE[serviceIndex % SERVICE_PALETTE.length];
}
