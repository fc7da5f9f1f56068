/*
 * Shoppers: one request to the frontend every DEMO_INTERVAL_MS (default
 * 1500 ms), so that traces keep coming without loading the machine. The
 * requests themselves are not traced; each one starts a trace in frontend.
 */
// @ts-check
'use strict';

const { serviceUrl } = require('./topology');

const SKUS = [
  'SKU-1001',
  'SKU-1002',
  'SKU-1003',
  'SKU-1004',
  'SKU-1005',
  'SKU-1006',
];

/** @param {readonly string[]} values */
function pick(values) {
  return values[Math.floor(Math.random() * values.length)];
}

/** One shopper's request: browse, look at a product (sometimes a gone one), or check out. */
function nextRequest() {
  const roll = Math.random();
  if (roll < 0.3) return { path: '/api/products' };
  if (roll < 0.55) {
    // One in ten product links is stale.
    const sku = Math.random() < 0.1 ? 'SKU-0999' : pick(SKUS);
    return { path: `/api/products/${sku}` };
  }
  const cart = Array.from(
    { length: 1 + Math.floor(Math.random() * 3) },
    () => ({
      sku: pick(SKUS),
      quantity: 1 + Math.floor(Math.random() * 2),
    }),
  );
  return {
    path: '/api/checkout',
    method: 'POST',
    body: {
      customerId: `customer-${1 + Math.floor(Math.random() * 40)}`,
      cart,
    },
  };
}

/**
 * Sends requests until the signal aborts. Failures (the services are still
 * starting, or a demo error) are part of the show and are not reported.
 *
 * @param {{ intervalMs: number, signal: AbortSignal }} options
 */
async function generateLoad({ intervalMs, signal }) {
  const frontend = serviceUrl('frontend');
  while (!signal.aborted) {
    const request = nextRequest();
    fetch(`${frontend}${request.path}`, {
      method: request.method ?? 'GET',
      headers: { 'Content-Type': 'application/json' },
      body: request.body ? JSON.stringify(request.body) : undefined,
      signal,
    })
      .then(response => response.arrayBuffer())
      .catch(() => {});
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

module.exports = { generateLoad, nextRequest };
