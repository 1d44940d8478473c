// Astro Actions, grouped by resource. Each group lives in its own file and is added here.
export const server = {};
