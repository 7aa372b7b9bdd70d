// Line icons drawn for callq (24×24, stroke currentColor). Decorative: aria-hidden.

const PATHS: Record<string, string[]> = {
  refresh: ['M20 12a8 8 0 1 1-2.34-5.66', 'M20 4v5h-5'],
  plus: ['M12 5v14', 'M5 12h14'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4'],
  trash: ['M5 7h14', 'M10 7V4h4v3', 'M7 7l1 13h8l1-13'],
  chart: ['M4 20V11', 'M10 20V5', 'M16 20v-7', 'M21 20H3'],
  users: ['M2.5 20a6.5 6.5 0 0 1 13 0', 'M16 14.6a5 5 0 0 1 5.5 5.4', 'M9 4.5a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7', 'M17 6.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5'],
  queue: ['M9 6h11', 'M9 12h11', 'M9 18h11', 'M4 6h1', 'M4 12h1', 'M4 18h1'],
  phone: ['M5 4h3.5l2 5-2.5 1.5a11 11 0 0 0 5.5 5.5L15 13.5l5 2V19a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z'],
  'phone-off': ['M5 4h3.5l2 5-2.5 1.5a11 11 0 0 0 5.5 5.5L15 13.5l5 2V19a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z', 'M3 3l18 18'],
  logout: ['M14 4h5v16h-5', 'M9 8l-4 4 4 4', 'M5 12h11'],
  login: ['M10 4H5v16h5', 'M14 8l4 4-4 4', 'M18 12H8'],
  x: ['M6 6l12 12', 'M18 6L6 18'],
  up: ['M12 19V5', 'M6 11l6-6 6 6'],
  down: ['M12 5v14', 'M6 13l6 6 6-6'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
  headset: ['M4 15v-3a8 8 0 0 1 16 0v3', 'M3 15h4v5H4a1 1 0 0 1-1-1z', 'M21 15h-4v5h3a1 1 0 0 0 1-1z'],
  alert: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18h.01'],
  check: ['M5 12.5l4.5 4.5L19 7'],
  clock: ['M12 3a9 9 0 1 1 0 18a9 9 0 1 1 0-18', 'M12 7v5l3 2'],
  filter: ['M3 5h18l-7 8v6l-4 2v-8z'],
  settings: ['M12 9a3 3 0 1 1 0 6a3 3 0 1 1 0-6', 'M12 2v3', 'M12 19v3', 'M2 12h3', 'M19 12h3', 'M4.9 4.9l2.1 2.1', 'M17 17l2.1 2.1', 'M4.9 19.1L7 17', 'M17 7l2.1-2.1'],
};

export function Icon({ name, size = 16 }: { name: keyof typeof PATHS | string; size?: number }) {
  const paths = PATHS[name] ?? [];
  return (
    <svg class="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
      stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
      {paths.map((d) => <path d={d} />)}
    </svg>
  );
}

/** The callq mark: a rounded square with three lines of a queue, shortening. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="#4f46e5" />
      <path d="M9 11h14M9 16h10M9 21h6" stroke="#fff" stroke-width="3" stroke-linecap="round" />
    </svg>
  );
}
